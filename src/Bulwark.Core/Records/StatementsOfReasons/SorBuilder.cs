using System.Text.RegularExpressions;
using Bulwark.Core.Ingest;

namespace Bulwark.Core.Records.StatementsOfReasons;

public sealed record SorBuildResult(StatementOfReasons? Statement, IReadOnlyList<FieldError> Errors)
{
    public bool Ok => Statement is not null;
}

/// <summary>
/// Builds a statement of reasons from a <see cref="SorInput"/>, then validates it by the database's rules. Refuses (never
/// silently strips) personal data in the free-text fields and the puid: a statement is public, so the policy text must be
/// fixed rather than published redacted in a way nobody checked.
/// </summary>
public static partial class SorBuilder
{
    public static SorBuildResult Build(SorInput input)
    {
        var errors = new List<FieldError>();
        var scope = Scope(input.TerritorialScope, errors);
        var language = input.Language?.Trim().ToUpperInvariant();
        if (input.ApplicationDate < input.ContentDate) errors.Add(new("application_date", "must not be before content_date (a decision cannot precede the content)"));
        foreach (var (field, end) in new[] { ("end_date_visibility_restriction", input.VisibilityRestrictionEnds), ("end_date_account_restriction", input.AccountRestrictionEnds),
                     ("end_date_service_restriction", input.ServiceRestrictionEnds), ("end_date_monetary_restriction", input.MonetaryRestrictionEnds) })
            if (end is { } d && d < input.ApplicationDate) errors.Add(new(field, "must not be before application_date"));

        var illegal = input.Ground == DecisionGround.IllegalContent;
        var statement = new StatementOfReasons
        {
            DecisionVisibility = input.ContentRestrictions.Count == 0 && input.VisibilityOther is null ? null
                : input.ContentRestrictions.Distinct().Select(Visibility).Concat(input.VisibilityOther is null ? [] : [SorVocabulary.VisibilityOther]).ToList(),
            DecisionVisibilityOther = input.VisibilityOther,
            DecisionAccount = input.AccountRestriction switch { AccountRestriction.Suspended => "DECISION_ACCOUNT_SUSPENDED", AccountRestriction.Terminated => "DECISION_ACCOUNT_TERMINATED", _ => null },
            DecisionProvision = input.ServiceRestriction switch
            {
                ServiceRestriction.PartialSuspension => "DECISION_PROVISION_PARTIAL_SUSPENSION", ServiceRestriction.TotalSuspension => "DECISION_PROVISION_TOTAL_SUSPENSION",
                ServiceRestriction.PartialTermination => "DECISION_PROVISION_PARTIAL_TERMINATION", ServiceRestriction.TotalTermination => "DECISION_PROVISION_TOTAL_TERMINATION",
                _ => null,
            },
            DecisionMonetary = input.MonetaryRestriction switch { MonetaryRestriction.Suspension => "DECISION_MONETARY_SUSPENSION", MonetaryRestriction.Termination => "DECISION_MONETARY_TERMINATION", _ => null },
            AccountType = input.BusinessAccount switch { true => "ACCOUNT_TYPE_BUSINESS", false => "ACCOUNT_TYPE_PRIVATE", null => null },
            DecisionGround = illegal ? SorVocabulary.GroundIllegal : SorVocabulary.GroundIncompatible,
            DecisionGroundReferenceUrl = input.GroundReferenceUrl,
            IllegalContentLegalGround = illegal ? input.GroundReference : null,
            IllegalContentExplanation = illegal ? input.GroundExplanation : null,
            IncompatibleContentGround = illegal ? null : input.GroundReference,
            IncompatibleContentExplanation = illegal ? null : input.GroundExplanation,
            IncompatibleContentIllegal = illegal || input.AlsoIllegal is null ? null : input.AlsoIllegal.Value ? "Yes" : "No",
            ContentType = input.ContentTypes.Distinct().Select(t => "CONTENT_TYPE_" + Snake(t.ToString())).ToList(),
            Category = input.Category,
            CategoryAddition = input.AdditionalCategories.Count == 0 ? null : input.AdditionalCategories.Distinct().ToList(),
            CategorySpecification = input.Keywords.Count == 0 ? null : input.Keywords.Distinct().ToList(),
            CategorySpecificationOther = input.Keywords.Contains("KEYWORD_OTHER") ? input.OtherKeyword : null,
            TerritorialScope = scope,
            ContentLanguage = string.IsNullOrEmpty(language) ? null : language,
            ContentDate = Date(input.ContentDate),
            ApplicationDate = Date(input.ApplicationDate),
            EndDateVisibilityRestriction = Date(input.VisibilityRestrictionEnds),
            EndDateAccountRestriction = Date(input.AccountRestrictionEnds),
            EndDateServiceRestriction = Date(input.ServiceRestrictionEnds),
            EndDateMonetaryRestriction = Date(input.MonetaryRestrictionEnds),
            SourceType = input.Source switch
            {
                SorSource.Article16Notice => "SOURCE_ARTICLE_16", SorSource.TrustedFlagger => "SOURCE_TRUSTED_FLAGGER",
                SorSource.OtherNotification => "SOURCE_TYPE_OTHER_NOTIFICATION", _ => "SOURCE_VOLUNTARY",
            },
            // Only an organisation's name is published; an individual notifier's identity is personal data.
            SourceIdentity = input.Source == SorSource.TrustedFlagger ? input.TrustedFlaggerName : null,
            AutomatedDetection = input.AutomatedDetection ? "Yes" : "No",
            AutomatedDecision = input.AutomatedDecision switch
            {
                Automation.Fully => "AUTOMATED_DECISION_FULLY", Automation.Partially => "AUTOMATED_DECISION_PARTIALLY", _ => "AUTOMATED_DECISION_NOT_AUTOMATED",
            },
            Puid = input.Puid,
        };
        statement = statement with { DecisionFacts = input.Facts ?? SorFacts.Write(statement, input.PolicyName ?? input.GroundReference, "en") };

        foreach (var (field, text) in new[] { ("decision_facts", statement.DecisionFacts), ("illegal_content_explanation", illegal ? input.GroundExplanation : null),
                     ("incompatible_content_explanation", illegal ? null : input.GroundExplanation), ("illegal_content_legal_ground", illegal ? input.GroundReference : null),
                     ("incompatible_content_ground", illegal ? null : input.GroundReference), ("category_specification_other", statement.CategorySpecificationOther), ("puid", input.Puid) })
            if (text is not null && PersonalData(text, input.PersonalTerms) is { } what)
                errors.Add(new(field, $"contains personal data ({what}); describe the content and the decision, not the person"));

        errors.AddRange(SorValidator.Validate(statement));
        return errors.Count == 0 ? new SorBuildResult(statement, []) : new SorBuildResult(null, errors);
    }

    /// <summary>Names the kind of personal data found in <paramref name="text"/>, or null.</summary>
    public static string? PersonalData(string text, IReadOnlyList<string> personalTerms)
    {
        foreach (var term in personalTerms)
        {
            var t = term.Trim().TrimStart('@');
            if (t.Length >= 3 && text.Contains(t, StringComparison.OrdinalIgnoreCase)) return "an identifier of the account holder";
        }
        if (Email().IsMatch(text)) return "an e-mail address";
        if (Handle().IsMatch(text)) return "an @handle";
        if (Phone().IsMatch(text)) return "a phone number";
        return null;
    }

    private static List<string>? Scope(IReadOnlyList<string> requested, List<FieldError> errors)
    {
        var result = new List<string>();
        foreach (var raw in requested)
        {
            var code = raw.Trim().ToUpperInvariant();
            if (code is "EEA" or "EU")
            {
                foreach (var c in SorVocabulary.EuropeanCountries)
                    if (code == "EEA" || c is not ("IS" or "LI" or "NO")) result.Add(c);
                continue;
            }
            result.Add(code == "EL" ? "GR" : code); // the EU's own code for Greece; the database wants ISO's GR
        }
        return result.Count == 0 ? null : result.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static string Visibility(ContentRestriction r) => "DECISION_VISIBILITY_CONTENT_" + Snake(r.ToString());

    private static string Snake(string pascal) => Regex.Replace(pascal, "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant();

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\w@])@[A-Za-z0-9_.]{2,}")]
    private static partial Regex Handle();

    // International (+39 …, 0039 …) or national 3-3-3/4 groups; ISO dates (2026-01-15) and plain numbers do not match.
    [GeneratedRegex(@"(?<![\w+])(?:(?:\+|00)\d{1,3}[\s.-]?\d[\d\s.-]{6,}\d|\d{3}[\s.-]?\d{3}[\s.-]?\d{3,4})(?![\w-])")]
    private static partial Regex Phone();
}
