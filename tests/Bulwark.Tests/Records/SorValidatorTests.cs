using Bulwark.Core.Records.StatementsOfReasons;

namespace Bulwark.Tests.Records;

public class SorValidatorTests
{
    [Fact]
    public void The_fixture_is_valid() => Assert.Empty(SorValidator.Validate(SorFixtures.Valid));

    public static TheoryData<string, Func<StatementOfReasons, StatementOfReasons>, string> Rules => new()
    {
        // required and "one of the decisions" rules
        { "no restriction at all", s => s with { DecisionVisibility = null }, "decision_visibility" },
        { "empty visibility list counts as none", s => s with { DecisionVisibility = [] }, "decision_visibility" },
        { "unknown visibility", s => s with { DecisionVisibility = ["DECISION_VISIBILITY_HIDDEN"] }, "decision_visibility[0]" },
        { "visibility other needs its text", s => s with { DecisionVisibility = [SorVocabulary.VisibilityOther] }, "decision_visibility_other" },
        { "visibility other text too long", s => s with { DecisionVisibility = [SorVocabulary.VisibilityOther], DecisionVisibilityOther = new string('x', 501) }, "decision_visibility_other" },
        { "unknown monetary", s => s with { DecisionMonetary = "DECISION_MONETARY_FINE" }, "decision_monetary" },
        { "monetary other needs its text", s => s with { DecisionMonetary = SorVocabulary.MonetaryOther }, "decision_monetary_other" },
        { "unknown provision", s => s with { DecisionProvision = "DECISION_PROVISION_SOME" }, "decision_provision" },
        { "unknown account decision", s => s with { DecisionAccount = "DECISION_ACCOUNT_BANNED" }, "decision_account" },
        { "unknown account type", s => s with { AccountType = "ACCOUNT_TYPE_PERSONAL" }, "account_type" },
        // ground and its conditional fields
        { "ground required", s => s with { DecisionGround = null }, "decision_ground" },
        { "unknown ground", s => s with { DecisionGround = "DECISION_GROUND_OTHER" }, "decision_ground" },
        { "reference url must be a URL", s => s with { DecisionGroundReferenceUrl = "terms page" }, "decision_ground_reference_url" },
        { "illegal needs legal ground", s => s with { DecisionGround = SorVocabulary.GroundIllegal, IllegalContentExplanation = "x" }, "illegal_content_legal_ground" },
        { "illegal needs explanation", s => s with { DecisionGround = SorVocabulary.GroundIllegal, IllegalContentLegalGround = "x" }, "illegal_content_explanation" },
        { "illegal explanation ≤ 2000", s => s with { DecisionGround = SorVocabulary.GroundIllegal, IllegalContentLegalGround = "x", IllegalContentExplanation = new string('x', 2001) }, "illegal_content_explanation" },
        { "incompatible needs ground", s => s with { IncompatibleContentGround = null }, "incompatible_content_ground" },
        { "incompatible ground ≤ 500", s => s with { IncompatibleContentGround = new string('x', 501) }, "incompatible_content_ground" },
        { "incompatible needs explanation", s => s with { IncompatibleContentExplanation = " " }, "incompatible_content_explanation" },
        { "incompatible illegal is Yes or No", s => s with { IncompatibleContentIllegal = "yes" }, "incompatible_content_illegal" },
        // content
        { "content type required", s => s with { ContentType = null }, "content_type" },
        { "unknown content type", s => s with { ContentType = ["CONTENT_TYPE_GIF"] }, "content_type[0]" },
        { "content type other needs its text", s => s with { ContentType = [SorVocabulary.ContentTypeOther] }, "content_type_other" },
        { "category required", s => s with { Category = null }, "category" },
        { "unknown category", s => s with { Category = "STATEMENT_CATEGORY_TERRORISM" }, "category" },
        { "unknown additional category", s => s with { CategoryAddition = ["STATEMENT_CATEGORY_VIOLENCE", "VIOLENCE"] }, "category_addition[1]" },
        { "unknown keyword", s => s with { CategorySpecification = ["KEYWORD_TERRORISM"] }, "category_specification[0]" },
        { "other keyword ≤ 500", s => s with { CategorySpecificationOther = new string('x', 501) }, "category_specification_other" },
        { "Greece is GR, not EL", s => s with { TerritorialScope = ["EL"] }, "territorial_scope[0]" },
        { "outside the EU/EEA", s => s with { TerritorialScope = ["IT", "CH"] }, "territorial_scope[1]" },
        { "language is upper-case ISO 639-1", s => s with { ContentLanguage = "it" }, "content_language" },
        { "unknown language", s => s with { ContentLanguage = "XX" }, "content_language" },
        // dates
        { "content date required", s => s with { ContentDate = null }, "content_date" },
        { "content date format", s => s with { ContentDate = "15/01/2026" }, "content_date" },
        { "content date not before 2000", s => s with { ContentDate = "1999-12-31" }, "content_date" },
        { "application date required", s => s with { ApplicationDate = null }, "application_date" },
        { "application date not before 2020", s => s with { ApplicationDate = "2019-12-31" }, "application_date" },
        { "application date not after 2038", s => s with { ApplicationDate = "2038-01-02" }, "application_date" },
        { "application date is a real date", s => s with { ApplicationDate = "2026-02-30" }, "application_date" },
        { "end date format", s => s with { EndDateVisibilityRestriction = "2026-01-15 10:00" }, "end_date_visibility_restriction" },
        { "end date not after 2038", s => s with { EndDateAccountRestriction = "2040-01-01" }, "end_date_account_restriction" },
        { "service end date format", s => s with { EndDateServiceRestriction = "tomorrow" }, "end_date_service_restriction" },
        { "monetary end date format", s => s with { EndDateMonetaryRestriction = "2026-1-1" }, "end_date_monetary_restriction" },
        // facts, source, automation, puid
        { "facts required", s => s with { DecisionFacts = null }, "decision_facts" },
        { "facts ≤ 5000 characters", s => s with { DecisionFacts = new string('x', 5001) }, "decision_facts" },
        { "source required", s => s with { SourceType = null }, "source_type" },
        { "unknown source", s => s with { SourceType = "SOURCE_POLICE" }, "source_type" },
        { "source identity ≤ 500", s => s with { SourceIdentity = new string('x', 501) }, "source_identity" },
        { "automated detection required", s => s with { AutomatedDetection = null }, "automated_detection" },
        { "automated detection is Yes or No", s => s with { AutomatedDetection = "true" }, "automated_detection" },
        { "automated decision required", s => s with { AutomatedDecision = null }, "automated_decision" },
        { "unknown automated decision", s => s with { AutomatedDecision = "Fully automated" }, "automated_decision" },
        { "puid required", s => s with { Puid = "" }, "puid" },
        { "puid ≤ 500", s => s with { Puid = new string('a', 501) }, "puid" },
        { "puid pattern", s => s with { Puid = "decision 42" }, "puid" },
        { "puid pattern has no trailing newline escape", s => s with { Puid = "decision-42\n" }, "puid" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_rule_names_the_field(string rule, Func<StatementOfReasons, StatementOfReasons> mutate, string field)
    {
        var errors = SorValidator.Validate(mutate(SorFixtures.Valid));
        Assert.True(errors.Any(e => e.Field == field), $"{rule}: expected an error on {field}, got [{string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}"))}]");
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void Limits_count_characters_not_utf16_units()
    {
        Assert.Empty(SorValidator.Validate(SorFixtures.Valid with { DecisionFacts = string.Concat(Enumerable.Repeat("😀", 5000)) }));
        Assert.Empty(SorValidator.Validate(SorFixtures.Valid with { DecisionFacts = new string('x', 5000), Puid = new string('a', 500) }));
    }

    [Fact]
    public void Conditional_fields_of_the_other_ground_are_not_required()
    {
        var illegal = SorFixtures.Valid with
        {
            DecisionGround = SorVocabulary.GroundIllegal, IllegalContentLegalGround = "Regulation (EU) 2021/784, Art. 2(7)(c)",
            IllegalContentExplanation = "Glorifies a terrorist offence.", IncompatibleContentGround = null, IncompatibleContentExplanation = null, IncompatibleContentIllegal = null,
        };
        Assert.Empty(SorValidator.Validate(illegal));
        Assert.Empty(SorValidator.Validate(SorFixtures.Valid with { DecisionVisibility = null, DecisionAccount = "DECISION_ACCOUNT_TERMINATED" }));
    }

    [Fact]
    public void Json_uses_the_database_field_names_and_omits_absent_fields()
    {
        var json = SorFixtures.Valid.ToJson();
        Assert.Contains("\"decision_visibility\":[\"DECISION_VISIBILITY_CONTENT_REMOVED\"]", json);
        Assert.Contains("\"incompatible_content_illegal\":\"Yes\"", json);
        Assert.Contains("\"puid\":\"bulwark-decision-1\"", json);
        Assert.DoesNotContain("decision_account", json);
        Assert.Equal(SorFixtures.Valid.ToJson(), StatementOfReasons.FromJson(json).ToJson());
    }
}
