namespace CadapDrafting.Drafts;

/// <summary>The five tenants and their national languages.</summary>
public static class Countries
{
    public static readonly IReadOnlyDictionary<string, (string Name, string NationalLanguage)> All =
        new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["KZ"] = ("Kazakhstan", "kk"),
            ["KG"] = ("Kyrgyzstan", "ky"),
            ["TJ"] = ("Tajikistan", "tg"),
            ["TM"] = ("Turkmenistan", "tk"),
            ["UZ"] = ("Uzbekistan", "uz"),
        };

    public static bool IsKnown(string? code) => code is not null && All.ContainsKey(code);

    /// <summary>Russian, English and the country's national language.</summary>
    public static IReadOnlyList<string> LanguagesOf(string code) => ["ru", "en", All[code].NationalLanguage];
}
