using System.Globalization;
using System.Text.RegularExpressions;
using Bulwark.Core.Ingest;

namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>
/// The Transparency Database's own submission rules, so a statement that it would refuse is caught here, before export or
/// submission: required and conditional fields, lengths (in characters), enumerations, the <c>YYYY-MM-DD</c> date format and
/// its date ranges, and the puid pattern. Each error names the field with the database's field name.
/// </summary>
public static partial class SorValidator
{
    public const int MaxFacts = 5000;
    public const int MaxShort = 500;
    public const int MaxExplanation = 2000;
    private static readonly DateOnly Ceiling = new(2038, 1, 1);

    public static IReadOnlyList<FieldError> Validate(StatementOfReasons s)
    {
        var e = new List<FieldError>();

        // At least one kind of restriction.
        var anyDecision = s.DecisionVisibility is { Count: > 0 } || s.DecisionMonetary is not null || s.DecisionProvision is not null || s.DecisionAccount is not null;
        if (!anyDecision)
            e.Add(new("decision_visibility", "is required when none of decision_monetary, decision_provision, decision_account is present"));
        Each(e, "decision_visibility", s.DecisionVisibility, SorVocabulary.DecisionVisibilities);
        if (s.DecisionVisibility?.Contains(SorVocabulary.VisibilityOther) == true) Required(e, "decision_visibility_other", s.DecisionVisibilityOther, MaxShort);
        OneOf(e, "decision_monetary", s.DecisionMonetary, SorVocabulary.DecisionMonetaries);
        if (s.DecisionMonetary == SorVocabulary.MonetaryOther) Required(e, "decision_monetary_other", s.DecisionMonetaryOther, MaxShort);
        OneOf(e, "decision_provision", s.DecisionProvision, SorVocabulary.DecisionProvisions);
        OneOf(e, "decision_account", s.DecisionAccount, SorVocabulary.DecisionAccounts);
        OneOf(e, "account_type", s.AccountType, SorVocabulary.AccountTypes);

        if (s.DecisionGround is null) e.Add(new("decision_ground", "is required"));
        else OneOf(e, "decision_ground", s.DecisionGround, SorVocabulary.DecisionGrounds);
        if (s.DecisionGroundReferenceUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
                e.Add(new("decision_ground_reference_url", "must be a valid URL"));
            MaxLength(e, "decision_ground_reference_url", url, MaxShort);
        }
        if (s.DecisionGround == SorVocabulary.GroundIllegal)
        {
            Required(e, "illegal_content_legal_ground", s.IllegalContentLegalGround, MaxShort);
            Required(e, "illegal_content_explanation", s.IllegalContentExplanation, MaxExplanation);
        }
        if (s.DecisionGround == SorVocabulary.GroundIncompatible)
        {
            Required(e, "incompatible_content_ground", s.IncompatibleContentGround, MaxShort);
            Required(e, "incompatible_content_explanation", s.IncompatibleContentExplanation, MaxExplanation);
            OneOf(e, "incompatible_content_illegal", s.IncompatibleContentIllegal, SorVocabulary.YesNo);
        }

        if (s.ContentType is not { Count: > 0 }) e.Add(new("content_type", "is required (at least one content type)"));
        Each(e, "content_type", s.ContentType, SorVocabulary.ContentTypes);
        if (s.ContentType?.Contains(SorVocabulary.ContentTypeOther) == true) Required(e, "content_type_other", s.ContentTypeOther, MaxShort);

        if (s.Category is null) e.Add(new("category", "is required"));
        else OneOf(e, "category", s.Category, SorVocabulary.Categories);
        Each(e, "category_addition", s.CategoryAddition, SorVocabulary.Categories);
        Each(e, "category_specification", s.CategorySpecification, SorVocabulary.Keywords);
        MaxLength(e, "category_specification_other", s.CategorySpecificationOther, MaxShort);

        Each(e, "territorial_scope", s.TerritorialScope, SorVocabulary.EuropeanCountryCodes);
        OneOf(e, "content_language", s.ContentLanguage, SorVocabulary.Languages);

        Date(e, "content_date", s.ContentDate, required: true, new DateOnly(2000, 1, 1));
        Date(e, "application_date", s.ApplicationDate, required: true, new DateOnly(2020, 1, 1));
        Date(e, "end_date_account_restriction", s.EndDateAccountRestriction, required: false, null);
        Date(e, "end_date_monetary_restriction", s.EndDateMonetaryRestriction, required: false, null);
        Date(e, "end_date_service_restriction", s.EndDateServiceRestriction, required: false, null);
        Date(e, "end_date_visibility_restriction", s.EndDateVisibilityRestriction, required: false, null);

        Required(e, "decision_facts", s.DecisionFacts, MaxFacts);
        if (s.SourceType is null) e.Add(new("source_type", "is required"));
        else OneOf(e, "source_type", s.SourceType, SorVocabulary.SourceTypes);
        MaxLength(e, "source_identity", s.SourceIdentity, MaxShort);
        if (s.AutomatedDetection is null) e.Add(new("automated_detection", "is required"));
        else OneOf(e, "automated_detection", s.AutomatedDetection, SorVocabulary.YesNo);
        if (s.AutomatedDecision is null) e.Add(new("automated_decision", "is required"));
        else OneOf(e, "automated_decision", s.AutomatedDecision, SorVocabulary.AutomatedDecisions);

        if (Required(e, "puid", s.Puid, MaxShort) && !PuidPattern().IsMatch(s.Puid!))
            e.Add(new("puid", "may contain only letters, digits, '-' and '_'"));
        return e;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9_-]+\z")] // \z, not $: $ would accept a trailing newline
    internal static partial Regex PuidPattern();

    /// <summary>Characters as the database counts them (code points, not UTF-16 units).</summary>
    private static int Length(string s) => s.EnumerateRunes().Count();

    private static bool Required(List<FieldError> e, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) { e.Add(new(field, "is required")); return false; }
        return MaxLength(e, field, value, max);
    }

    private static bool MaxLength(List<FieldError> e, string field, string? value, int max)
    {
        if (value is null || Length(value) <= max) return true;
        e.Add(new(field, $"must not be longer than {max} characters (it has {Length(value)})"));
        return false;
    }

    private static void OneOf(List<FieldError> e, string field, string? value, IReadOnlySet<string> allowed)
    {
        if (value is not null && !allowed.Contains(value)) e.Add(new(field, $"'{value}' is not one of the accepted values"));
    }

    private static void Each(List<FieldError> e, string field, IReadOnlyList<string>? values, IReadOnlySet<string> allowed)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
            if (!allowed.Contains(values![i])) e.Add(new($"{field}[{i}]", $"'{values[i]}' is not one of the accepted values"));
    }

    private static void Date(List<FieldError> e, string field, string? value, bool required, DateOnly? earliest)
    {
        if (value is null)
        {
            if (required) e.Add(new(field, "is required"));
            return;
        }
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            e.Add(new(field, $"'{value}' does not match the format YYYY-MM-DD"));
        else if (earliest is { } min && d < min) e.Add(new(field, $"must be on or after {min:yyyy-MM-dd}"));
        else if (d > Ceiling) e.Add(new(field, $"must be on or before {Ceiling:yyyy-MM-dd}"));
    }
}
