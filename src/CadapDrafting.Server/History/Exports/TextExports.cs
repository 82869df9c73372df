using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CadapDrafting.History.Exports;

/// <summary>
/// HTML and Markdown, written node by node to the response so a large draft streams. Draft text is data,
/// never markup: every piece of it is encoded (HTML) or escaped (Markdown).
/// </summary>
public static partial class TextExports
{
    private const int FlushEvery = 200;

    public static async Task WriteHtmlAsync(ExportDocument doc, Stream output, CancellationToken ct)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        static string E(string s) => WebUtility.HtmlEncode(s);
        await w.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{E(doc.Language)}">
            <head>
            <meta charset="utf-8">
            <meta name="draft-id" content="{doc.DraftId}">
            <meta name="revision" content="{doc.Revision}">
            <title>{E(doc.Title)}</title>
            <style>table{"{"}border-collapse:collapse{"}"} th,td{"{"}border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top{"}"}</style>
            </head>
            <body>
            <h1>{E(doc.Title)}</h1>
            <p class="subtitle">{E(doc.Subtitle)}</p>

            """);
        var written = 0;
        foreach (var node in doc.InDocumentOrder())
        {
            if (ExportDocument.IsHeading(node.Kind))
            {
                var level = Math.Min(node.Depth + 1, 6);
                await w.WriteAsync($"<h{level} id=\"n-{node.Id:N}\">{E(node.Label)}. {E(node.Text)}</h{level}>\n");
            }
            else
            {
                await w.WriteAsync($"<p id=\"n-{node.Id:N}\" class=\"{node.Kind.ToString().ToLowerInvariant()}\"><strong>{E(node.Label)}.</strong> {E(node.Text)}</p>\n");
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
        await w.WriteAsync("</body>\n</html>\n");
    }

    public static async Task WriteMarkdownAsync(ExportDocument doc, Stream output, CancellationToken ct)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await w.WriteAsync($"# {Md(doc.Title)}\n\n_{Md(doc.Subtitle)}_\n\n");
        var written = 0;
        foreach (var node in doc.InDocumentOrder())
        {
            if (ExportDocument.IsHeading(node.Kind))
                await w.WriteAsync($"{new string('#', Math.Min(node.Depth + 1, 6))} {Md(node.Label)}. {Md(node.Text)}\n\n");
            else
                await w.WriteAsync($"**{Md(node.Label)}.** {Md(node.Text)}\n\n");
            if (node.Attributes.Count > 0)
            {
                await w.WriteAsync("| Attribute | Value |\n|---|---|\n");
                foreach (var (name, value) in node.Attributes) await w.WriteAsync($"| {Md(name)} | {Md(value)} |\n");
                await w.WriteAsync("\n");
            }
            if (++written % FlushEvery == 0) await w.FlushAsync(ct);
        }
    }

    /// <summary>Escapes Markdown's punctuation and HTML's angle brackets, and keeps a text on one line.</summary>
    public static string Md(string s) =>
        MarkdownSpecial().Replace(s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' '), @"\$1")
            .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    [GeneratedRegex(@"([\\`*_{}\[\]()#+\-.!|~])")]
    private static partial Regex MarkdownSpecial();
}
