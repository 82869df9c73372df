using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CadapDrafting.History.Exports;

/// <summary>
/// HTML and Markdown, written node by node to the response so a large draft streams. Draft text is data,
/// never markup: every piece of it is encoded (HTML) or has Markdown's markup characters escaped (Markdown).
/// </summary>
public static partial class TextExports
{
    private const int FlushEvery = 200;

    public static async Task WriteHtmlAsync(ExportDocument doc, Stream output, CancellationToken ct)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        static string E(string s) => WebUtility.HtmlEncode(s);
        var l = doc.Labels;
        // The stamp, and the content it states as a JSON data block (never run; its <, > and & are \u escapes, docs/evidence.md §10.1).
        var meta = string.Concat(doc.Stamp.Properties.Select(p => $"<meta name=\"{E(p.Name)}\" content=\"{E(p.Value)}\">\n")) +
                   $"<script type=\"application/json\" id=\"{Evidence.ExportContent.HtmlId}\">{doc.EmbeddedContent}</script>\n";
        await w.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{E(doc.Lang.Tag)}">
            <head>
            <meta charset="utf-8">
            {meta}<title>{E(doc.Title)}</title>
            <style>table{"{"}border-collapse:collapse{"}"} th,td{"{"}border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top{"}"}
            .untranslated,.draft-mark{"{"}color:#c00000{"}"} .untranslated{"{"}font-style:italic{"}"}
            footer{"{"}font-size:small;color:#666{"}"}</style>
            </head>
            <body>
            {(doc.IsDraft ? $"<p class=\"draft-mark\">{E(l.DraftMark)}</p>\n" : "")}<h1>{Html(doc, doc.Title, doc.TitleLanguage)}</h1>
            <p class="subtitle">{E(doc.Subtitle)}</p>

            """);
        if (doc.Nodes.Count == 0) await w.WriteAsync($"<p>{E(l.Empty)}</p>\n");
        var written = 0;
        foreach (var node in doc.InDocumentOrder())
        {
            var text = Html(doc, node.Text, node.TextLanguage);
            if (ExportDocument.IsHeading(node.Kind))
            {
                var level = Math.Min(node.Depth + 1, 6);
                await w.WriteAsync($"<h{level} id=\"n-{node.Id:N}\">{E(node.Label)}. {text}</h{level}>\n");
            }
            else
            {
                await w.WriteAsync($"<p id=\"n-{node.Id:N}\" class=\"{node.Kind.ToString().ToLowerInvariant()}\"><strong>{E(node.Label)}.</strong> " +
                    $"{text}</p>\n");
            }
            if (node.Attributes.Count > 0)
            {
                await w.WriteAsync("<table class=\"attributes\">\n");
                foreach (var (name, value) in node.Attributes)
                    await w.WriteAsync($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");
                await w.WriteAsync("</table>\n");
            }
            if (++written % FlushEvery == 0) await w.FlushAsync(ct);
        }
        await w.WriteAsync($"<footer>{E(doc.Stamp.Line(l))}</footer>\n</body>\n</html>\n");
    }

    /// <summary>A text in HTML: encoded; when shown in its source language, marked and tagged with that language.</summary>
    private static string Html(ExportDocument doc, string text, string language) =>
        language == doc.Language
            ? WebUtility.HtmlEncode(text)
            : $"<span class=\"untranslated\">{WebUtility.HtmlEncode(doc.UntranslatedMarker(language))}</span> " +
              $"<span lang=\"{WebUtility.HtmlEncode(ExportLanguage.Of(language).Tag)}\">{WebUtility.HtmlEncode(text)}</span>";

    public static async Task WriteMarkdownAsync(ExportDocument doc, Stream output, CancellationToken ct)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        var l = doc.Labels;
        await w.WriteAsync($"# " +
            $"{Markdown(doc, doc.Title, doc.TitleLanguage)}\n\n{(doc.IsDraft ? $"**{Md(l.DraftMark)}**\n\n" : "")}_{Md(doc.Subtitle)}_\n\n");
        if (doc.Nodes.Count == 0) await w.WriteAsync($"{Md(l.Empty)}\n\n");
        var written = 0;
        foreach (var node in doc.InDocumentOrder())
        {
            var text = Markdown(doc, node.Text, node.TextLanguage);
            if (ExportDocument.IsHeading(node.Kind))
                await w.WriteAsync($"{new string('#', Math.Min(node.Depth + 1, 6))} {Md(node.Label)}. {text}\n\n");
            else
                await w.WriteAsync($"**{Md(node.Label)}.** {text}\n\n");
            if (node.Attributes.Count > 0)
            {
                await w.WriteAsync($"| {Md(l.Field)} | {Md(l.Value)} |\n|---|---|\n");
                foreach (var (name, value) in node.Attributes) await w.WriteAsync($"| {Md(name)} | {Md(value)} |\n");
                await w.WriteAsync("\n");
            }
            if (++written % FlushEvery == 0) await w.FlushAsync(ct);
        }
        await w.WriteAsync($"---\n\n_{Md(doc.Stamp.Line(l))}_\n\n");
        // The content the file renders and the stamp's named values for cadap-verify --export, in comments Markdown does not render.
        await w.WriteAsync($"{Evidence.ExportContent.MarkdownOpening}\n{doc.EmbeddedContent}\n-->\n");
        await w.WriteAsync(Evidence.ExportClaim.MarkdownOpening + "\n" +
                           string.Concat(doc.Stamp.Properties.Select(p => $"{p.Name}: {p.Value}\n")) + "-->\n");
    }

    private static string Markdown(ExportDocument doc, string text, string language) =>
        language == doc.Language ? Md(text) : $"_{Md(doc.UntranslatedMarker(language))}_ {Md(text)}";

    /// <summary>
    /// Keeps a text on one line and escapes only what Markdown would read as markup inside a line: emphasis, code,
    /// links, tables, strikethrough, raw HTML and entities. Ordinary hyphens, dots, parentheses and #s stay as
    /// written: the text never starts a line, where they could mean a list or a heading.
    /// </summary>
    public static string Md(string s) =>
        Entity().Replace(MarkdownSpecial().Replace(s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' '), @"\$1"), @"\&");

    [GeneratedRegex(@"([\\`*_\[\]|~<])")]
    private static partial Regex MarkdownSpecial();

    [GeneratedRegex(@"&(?=#?[A-Za-z0-9]+;)")]
    private static partial Regex Entity();
}
