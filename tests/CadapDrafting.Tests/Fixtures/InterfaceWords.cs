using System.Text.RegularExpressions;

namespace CadapDrafting.Tests.Fixtures;

/// <summary>
/// The words of the web app in the language a person reads it in, taken from the app's own dictionaries
/// (<c>wwwroot/js/i18n.js</c> and <c>strings-cycle.js</c>). A story is told once with the English words a person sees
/// ("Submit proposal", "Edit record of Action 2"); told in Russian, each is looked up by its English wording — templates
/// with placeholders included — and the Russian wording of the same string is what the person looks for on the page.
/// A phrase the app does not have fails the story: the Russian person would not find it either.
/// </summary>
public sealed class InterfaceWords
{
    private static readonly Lazy<InterfaceWords> Russian = new(() => new InterfaceWords("ru"));

    private readonly Dictionary<string, string> _english;
    private readonly Dictionary<string, string> _translated;

    private InterfaceWords(string language)
    {
        Language = language;
        _english = [];
        _translated = [];
        foreach (var file in new[] { "i18n.js", "strings-cycle.js" })
        {
            var source = File.ReadAllText(Path.Combine(Repository.Root, "src", "CadapDrafting.Server", "wwwroot", "js", file));
            var split = source.IndexOf("const ru = {", StringComparison.Ordinal);
            Read(source[..split], _english);
            Read(source[split..], _translated);
        }
    }

    public string Language { get; }

    /// <summary>The words of the app in <paramref name="language"/> ("en" or "ru"); English is the identity.</summary>
    public static InterfaceWords? For(string language) => language == "ru" ? Russian.Value : null;

    private static void Read(string source, Dictionary<string, string> into)
    {
        foreach (Match m in Regex.Matches(source, @"""([A-Za-z0-9_.]+)"":\s*""((?:[^""\\]|\\.)*)"""))
            into.TryAdd(m.Groups[1].Value, Regex.Unescape(m.Groups[2].Value));
    }

    /// <summary>The string of <paramref name="key"/> with its placeholders filled.</summary>
    public string Key(string key, params (string Name, string Value)[] values)
    {
        var text = _translated.TryGetValue(key, out var t) ? t : _english[key];
        foreach (var (name, value) in values) text = text.Replace("{" + name + "}", value);
        return text;
    }

    /// <summary>
    /// The same words in this language, found by their English wording (among the strings whose keys begin with
    /// <paramref name="within"/>, where English uses one word for two things Russian tells apart).
    /// </summary>
    public string Say(string english, string within = "")
    {
        var strings = _english.Where(e => e.Key.StartsWith(within, StringComparison.Ordinal)).ToList();
        var exact = strings.Where(e => e.Value == english).Select(e => Key(e.Key)).Distinct().ToList();
        if (exact.Count == 1) return exact[0];
        if (exact.Count > 1)
            throw new InvalidOperationException($"\"{english}\" is {string.Join(" / ", exact)} in {Language}: name the key instead.");

        var filled = new List<string>();
        foreach (var (key, template) in strings.Where(e => e.Value.Contains('{')))
        {
            var names = Regex.Matches(template, @"\{(\w+)\}").Select(m => m.Groups[1].Value).ToArray();
            var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{(\w+)}", "(.+?)") + "$";
            var match = Regex.Match(english, pattern);
            if (!match.Success) continue;
            filled.Add(Key(key, names.Select((n, i) => (n, match.Groups[i + 1].Value)).ToArray()));
        }
        filled = filled.Distinct().ToList();
        return filled.Count switch
        {
            1 => filled[0],
            0 => throw new InvalidOperationException($"The app has no string \"{english}\"."),
            _ => throw new InvalidOperationException($"\"{english}\" is {string.Join(" / ", filled)} in {Language}: name the key instead."),
        };
    }
}
