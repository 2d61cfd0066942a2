using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Bulwark.Core.Policy.Catalogue;

/// <summary>User-facing text in the languages notices are sent in.</summary>
public sealed record LocalizedText(string? En, string? It)
{
    /// <summary>The text for an ISO 639-1 language (<c>it</c>), English otherwise; null when that is missing too.</summary>
    public string? For(string? language) => (language == "it" ? It : null) is { Length: > 0 } it ? it : En;
}

/// <summary>
/// One policy of the catalogue: what it forbids, how it maps to the DSA Transparency Database categories and to the grounds
/// of Article 2(7) of Regulation 2021/784, what it does by default, and how heavily it counts against an account.
/// </summary>
public sealed record PolicyDefinition
{
    public string? Id { get; init; }
    public string? Title { get; init; }
    /// <summary>The policy's name in user notices, per language; <see cref="Title"/> when a language is missing.</summary>
    public LocalizedText? Name { get; init; }
    public string? DsaCategory { get; init; }
    public IReadOnlyList<string>? DsaKeywords { get; init; }
    /// <summary>Letters of Reg. 2021/784 Art. 2(7): <c>a</c>–<c>e</c>.</summary>
    public IReadOnlyList<string>? TerroristContentGrounds { get; init; }
    public string? DefaultContentAction { get; init; }
    public string? DefaultAccountAction { get; init; }
    public double StrikeWeight { get; init; }
    /// <summary>A confirmed violation bans the account permanently instead of striking it.</summary>
    public bool ZeroTolerance { get; init; }
    /// <summary>When set, zero tolerance applies only to confirmed violations of these kinds (e.g. <c>support</c>,
    /// <c>representation</c> for VE-DOI; <c>credible-threat</c> for VE-THREAT); other confirmed violations strike.</summary>
    public IReadOnlyList<string>? ZeroToleranceFor { get; init; }
    /// <summary>The escalation path rules may use for this policy (e.g. <c>threat-to-life</c>).</summary>
    public string? Escalation { get; init; }
    public IReadOnlyList<string>? Exceptions { get; init; }
    public LocalizedText? Explanation { get; init; }
}

/// <summary>An exception (Art. 1(3) Reg. 2021/784): when it applies, the content is not restricted; a label may be shown instead.</summary>
public sealed record PolicyException(string? Id, string? Title, string? Label);

/// <summary>The versioned policy catalogue. Parse with <see cref="Parse"/>, which refuses anything invalid with every problem named.</summary>
public sealed partial record PolicyCatalogue
{
    public string? Version { get; init; }
    public IReadOnlyList<PolicyDefinition>? Policies { get; init; }
    public IReadOnlyList<PolicyException>? Exceptions { get; init; }

    // The DSA Transparency Database enumeration values this catalogue may use (statement categories and keywords relevant
    // to violent extremism); anything else is a typo that the database would reject later.
    public static readonly IReadOnlySet<string> DsaCategories = new HashSet<string>
    {
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "STATEMENT_CATEGORY_VIOLENCE", "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    };
    public static readonly IReadOnlySet<string> DsaKeywords = new HashSet<string>
    {
        "KEYWORD_TERRORIST_CONTENT", "KEYWORD_ILLEGAL_ORGANIZATIONS", "KEYWORD_INCITEMENT_VIOLENCE_HATRED",
        "KEYWORD_VIOLENT_EXTREMISM", "KEYWORD_HATE_SPEECH", "KEYWORD_RISK_ENVIRONMENTAL_DAMAGE", "KEYWORD_OTHER",
    };
    public static readonly IReadOnlySet<string> ContentActions = new HashSet<string> { "remove", "age_restrict", "exclude_recommendations", "label", "restrict_regions", "none" };
    public static readonly IReadOnlySet<string> AccountActions = new HashSet<string> { "warn", "strike", "restrict_feature", "suspend", "ban", "none" };

    public PolicyDefinition? Find(string id) => Policies?.FirstOrDefault(p => p.Id == id);
    public PolicyException? FindException(string id) => Exceptions?.FirstOrDefault(e => e.Id == id);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses and validates; <paramref name="errors"/> lists every problem as <c>path: message</c>.</summary>
    public static PolicyCatalogue? Parse(string json, out IReadOnlyList<string> errors)
    {
        PolicyCatalogue? c;
        try { c = JsonSerializer.Deserialize<PolicyCatalogue>(json, Json); }
        catch (JsonException ex)
        {
            errors = [$"{ex.Path ?? "$"}: {ex.Message.Split(" Path:")[0]}"];
            return null;
        }
        if (c is null) { errors = ["$: the catalogue must be a JSON object"]; return null; }
        errors = c.Validate();
        return errors.Count == 0 ? c : null;
    }

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (string.IsNullOrWhiteSpace(Version) || Version.Length > 64) e.Add("version: is required (1–64 characters)");
        var exceptionIds = new HashSet<string>();
        foreach (var (x, i) in (Exceptions ?? []).Select((x, i) => (x, i)))
        {
            if (x.Id is null || !IdPattern().IsMatch(x.Id)) e.Add($"exceptions[{i}].id: lowercase letters, digits and '-' expected");
            else if (!exceptionIds.Add(x.Id)) e.Add($"exceptions[{i}].id: '{x.Id}' is defined twice");
            if (string.IsNullOrWhiteSpace(x.Title)) e.Add($"exceptions[{i}].title: is required");
        }
        if (Policies is not { Count: > 0 }) e.Add("policies: at least one policy is required");
        var ids = new HashSet<string>();
        foreach (var (p, i) in (Policies ?? []).Select((p, i) => (p, i)))
        {
            var at = $"policies[{i}]";
            if (p.Id is null || !PolicyIdPattern().IsMatch(p.Id)) e.Add($"{at}.id: upper-case letters, digits and '-' expected (e.g. VE-THREAT)");
            else if (!ids.Add(p.Id)) e.Add($"{at}.id: '{p.Id}' is defined twice");
            if (string.IsNullOrWhiteSpace(p.Title)) e.Add($"{at}.title: is required");
            if (p.DsaCategory is null || !DsaCategories.Contains(p.DsaCategory)) e.Add($"{at}.dsaCategory: '{p.DsaCategory}' is not a known statement category ({string.Join(", ", DsaCategories)})");
            foreach (var k in p.DsaKeywords ?? [])
                if (!DsaKeywords.Contains(k)) e.Add($"{at}.dsaKeywords: '{k}' is not a known keyword");
            if (p.TerroristContentGrounds is not { Count: > 0 }) e.Add($"{at}.terroristContentGrounds: at least one of a–e is required");
            foreach (var g in p.TerroristContentGrounds ?? [])
                if (g is not ("a" or "b" or "c" or "d" or "e")) e.Add($"{at}.terroristContentGrounds: '{g}' is not one of a–e (Art. 2(7) Reg. 2021/784)");
            if (p.DefaultContentAction is null || !ContentActions.Contains(p.DefaultContentAction)) e.Add($"{at}.defaultContentAction: one of {string.Join(", ", ContentActions)} expected");
            if (p.DefaultAccountAction is null || !AccountActions.Contains(p.DefaultAccountAction)) e.Add($"{at}.defaultAccountAction: one of {string.Join(", ", AccountActions)} expected");
            if (p.StrikeWeight is < 0 or > 100 || double.IsNaN(p.StrikeWeight)) e.Add($"{at}.strikeWeight: must be between 0 and 100");
            if (p.Escalation is not null && !IdPattern().IsMatch(p.Escalation)) e.Add($"{at}.escalation: lowercase letters, digits and '-' expected");
            foreach (var x in p.Exceptions ?? [])
                if (!exceptionIds.Contains(x)) e.Add($"{at}.exceptions: '{x}' is not a defined exception");
            if (string.IsNullOrWhiteSpace(p.Explanation?.En) || string.IsNullOrWhiteSpace(p.Explanation?.It))
                e.Add($"{at}.explanation: English (en) and Italian (it) texts are required");
        }
        return e;
    }

    /// <summary>The catalogue shipped with Bulwark (<c>Policy/Shipped/catalogue.json</c>, embedded).</summary>
    public static PolicyCatalogue Default { get; } = LoadDefault();

    public static string DefaultJson => ShippedPolicy.Read("catalogue.json");

    private static PolicyCatalogue LoadDefault() =>
        Parse(DefaultJson, out var errors) ?? throw new InvalidOperationException("The shipped policy catalogue is invalid: " + string.Join("; ", errors));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")] private static partial Regex IdPattern();
    [GeneratedRegex("^[A-Z][A-Z0-9-]{1,31}$")] private static partial Regex PolicyIdPattern();
}

/// <summary>The policy files embedded in the assembly: the catalogue and the default rule set.</summary>
public static class ShippedPolicy
{
    private const string Prefix = "Bulwark.Policy/";

    public static string Read(string name)
    {
        using var stream = typeof(ShippedPolicy).Assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new InvalidOperationException($"The embedded policy file '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The shipped rule files (<c>rules/*.rules</c>) by file name.</summary>
    public static IReadOnlyList<(string Name, string Text)> Rules() =>
        typeof(ShippedPolicy).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix + "rules/", StringComparison.Ordinal) && n.EndsWith(".rules", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[(Prefix.Length + "rules/".Length)..], Read(n[Prefix.Length..])))
            .ToList();
}
