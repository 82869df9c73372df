using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CadapDrafting.Import;

/// <summary>
/// The number a reader sees in front of a paragraph that uses Word's automatic numbering (numbering.xml):
/// counters per abstract list, restarted by overrides and by higher levels, rendered through each level's
/// text ("%1.%2.") and number format (decimal, letters, Russian letters, roman numerals). The Open XML SDK
/// reads the definitions but does not compute the numbers, and no maintained .NET library does.
/// </summary>
public sealed class WordNumbering
{
    private sealed record LevelDefinition(int Start, string Format, string Text, bool Legal, int? Restart);

    private readonly Dictionary<int, int> _abstractOf = new();
    private readonly Dictionary<int, Dictionary<int, LevelDefinition>> _levels = new();
    private readonly Dictionary<int, Dictionary<int, int>> _startOverrides = new();
    private readonly Dictionary<int, int[]> _counters = new();
    private readonly HashSet<int> _instancesSeen = [];

    public WordNumbering(NumberingDefinitionsPart? part)
    {
        var numbering = part?.Numbering;
        if (numbering is null) return;
        foreach (var abstractNum in numbering.Elements<AbstractNum>())
        {
            if (abstractNum.AbstractNumberId?.Value is not { } id) continue;
            _levels[id] = abstractNum.Elements<Level>().Where(l => l.LevelIndex?.Value is not null)
                .ToDictionary(l => l.LevelIndex!.Value, Define);
        }
        foreach (var instance in numbering.Elements<NumberingInstance>())
        {
            if (instance.NumberID?.Value is not { } numId || instance.AbstractNumId?.Val?.Value is not { } abstractId) continue;
            _abstractOf[numId] = abstractId;
            foreach (var over in instance.Elements<LevelOverride>())
            {
                if (over.LevelIndex?.Value is not { } level) continue;
                var start = over.StartOverrideNumberingValue?.Val?.Value ?? over.Level?.StartNumberingValue?.Val?.Value;
                if (start is { } s) (_startOverrides.TryGetValue(numId, out var map) ? map : _startOverrides[numId] = new())[level] = s;
            }
        }
    }

    private static LevelDefinition Define(Level level) => new(
        level.StartNumberingValue?.Val?.Value ?? 1,
        level.NumberingFormat?.Val?.InnerText ?? "decimal",
        level.LevelText?.Val?.Value ?? "",
        level.IsLegalNumberingStyle is not null && (level.IsLegalNumberingStyle.Val?.Value ?? true),
        level.LevelRestart?.Val?.Value);

    /// <summary>The list a numbering instance counts in: instances of one abstract list continue each other.</summary>
    public int ListOf(int numId) => _abstractOf.GetValueOrDefault(numId, -numId);

    /// <summary>Advances the list the paragraph belongs to and returns the number it shows, or null for a bullet or no list.</summary>
    public string? Next(int numId, int level)
    {
        if (numId == 0 || !_abstractOf.TryGetValue(numId, out var abstractId) || !_levels.TryGetValue(abstractId, out var levels)) return null;
        level = Math.Clamp(level, 0, 8);
        var counters = _counters.TryGetValue(abstractId, out var c) ? c : _counters[abstractId] = Enumerable.Repeat(-1, 9).ToArray();
        // A list instance with a start override begins again where it is first used (Word's "restart numbering").
        if (_instancesSeen.Add(numId) && _startOverrides.TryGetValue(numId, out var overrides))
            foreach (var (overridden, start) in overrides)
                counters[overridden] = start - 1;

        var definition = levels.GetValueOrDefault(level);
        counters[level] = counters[level] < 0 ? (definition?.Start ?? 1) : counters[level] + 1;
        for (var deeper = level + 1; deeper < 9; deeper++)
        {
            var restart = levels.GetValueOrDefault(deeper)?.Restart;
            if (restart is 0) continue; // never restarts
            if (restart is null || restart - 1 <= level) counters[deeper] = -1;
        }

        if (definition is null || definition.Format is "bullet" or "none") return null;
        return Render(definition, levels, counters);
    }

    private static string Render(LevelDefinition definition, Dictionary<int, LevelDefinition> levels, int[] counters)
    {
        var text = definition.Text;
        for (var i = 0; i < 9; i++)
        {
            var placeholder = "%" + (i + 1);
            if (!text.Contains(placeholder)) continue;
            var shown = levels.GetValueOrDefault(i);
            var value = counters[i] < 0 ? shown?.Start ?? 1 : counters[i];
            var format = definition.Legal ? "decimal" : shown?.Format ?? "decimal";
            text = text.Replace(placeholder, Format(value, format));
        }
        return text.Trim();
    }

    private const string RussianLetters = "абвгдежзиклмнопрстуфхцчшщэюя";

    public static string Format(int value, string format) => format switch
    {
        "decimalZero" => value.ToString("00"),
        "lowerLetter" => Letters(value, "abcdefghijklmnopqrstuvwxyz"),
        "upperLetter" => Letters(value, "abcdefghijklmnopqrstuvwxyz").ToUpperInvariant(),
        "russianLower" => Letters(value, RussianLetters),
        "russianUpper" => Letters(value, RussianLetters).ToUpperInvariant(),
        "lowerRoman" => Roman(value).ToLowerInvariant(),
        "upperRoman" => Roman(value),
        _ => value.ToString(),
    };

    /// <summary>Word repeats the letter after the alphabet runs out: a … z, aa … zz.</summary>
    private static string Letters(int value, string alphabet)
    {
        if (value < 1) return value.ToString();
        var letter = alphabet[(value - 1) % alphabet.Length];
        return new string(letter, (value - 1) / alphabet.Length + 1);
    }

    public static string Roman(int value)
    {
        if (value is < 1 or > 3999) return value.ToString();
        var parts = new (int, string)[] { (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
            (9, "IX"), (5, "V"), (4, "IV"), (1, "I") };
        var result = new System.Text.StringBuilder();
        foreach (var (amount, symbol) in parts)
            while (value >= amount) { result.Append(symbol); value -= amount; }
        return result.ToString();
    }
}
