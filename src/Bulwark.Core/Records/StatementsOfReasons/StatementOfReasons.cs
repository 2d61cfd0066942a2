using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>
/// A DSA Article 17 statement of reasons in the submission schema of the EU DSA Transparency Database
/// (<c>POST /api/v1/statement</c>, or up to 100 in <c>{"statements":[…]}</c>): field names, enumeration keys and date
/// format (<c>YYYY-MM-DD</c>) are the database's. Absent optional fields are omitted from the JSON.
/// </summary>
public sealed record StatementOfReasons
{
    [JsonPropertyName("decision_visibility")] public IReadOnlyList<string>? DecisionVisibility { get; init; }
    [JsonPropertyName("decision_visibility_other")] public string? DecisionVisibilityOther { get; init; }
    [JsonPropertyName("decision_monetary")] public string? DecisionMonetary { get; init; }
    [JsonPropertyName("decision_monetary_other")] public string? DecisionMonetaryOther { get; init; }
    [JsonPropertyName("decision_provision")] public string? DecisionProvision { get; init; }
    [JsonPropertyName("decision_account")] public string? DecisionAccount { get; init; }
    [JsonPropertyName("account_type")] public string? AccountType { get; init; }
    [JsonPropertyName("decision_ground")] public string? DecisionGround { get; init; }
    [JsonPropertyName("decision_ground_reference_url")] public string? DecisionGroundReferenceUrl { get; init; }
    [JsonPropertyName("illegal_content_legal_ground")] public string? IllegalContentLegalGround { get; init; }
    [JsonPropertyName("illegal_content_explanation")] public string? IllegalContentExplanation { get; init; }
    [JsonPropertyName("incompatible_content_ground")] public string? IncompatibleContentGround { get; init; }
    [JsonPropertyName("incompatible_content_explanation")] public string? IncompatibleContentExplanation { get; init; }
    [JsonPropertyName("incompatible_content_illegal")] public string? IncompatibleContentIllegal { get; init; }
    [JsonPropertyName("content_type")] public IReadOnlyList<string>? ContentType { get; init; }
    [JsonPropertyName("content_type_other")] public string? ContentTypeOther { get; init; }
    [JsonPropertyName("category")] public string? Category { get; init; }
    [JsonPropertyName("category_addition")] public IReadOnlyList<string>? CategoryAddition { get; init; }
    [JsonPropertyName("category_specification")] public IReadOnlyList<string>? CategorySpecification { get; init; }
    [JsonPropertyName("category_specification_other")] public string? CategorySpecificationOther { get; init; }
    [JsonPropertyName("territorial_scope")] public IReadOnlyList<string>? TerritorialScope { get; init; }
    [JsonPropertyName("content_language")] public string? ContentLanguage { get; init; }
    [JsonPropertyName("content_date")] public string? ContentDate { get; init; }
    [JsonPropertyName("application_date")] public string? ApplicationDate { get; init; }
    [JsonPropertyName("end_date_account_restriction")] public string? EndDateAccountRestriction { get; init; }
    [JsonPropertyName("end_date_monetary_restriction")] public string? EndDateMonetaryRestriction { get; init; }
    [JsonPropertyName("end_date_service_restriction")] public string? EndDateServiceRestriction { get; init; }
    [JsonPropertyName("end_date_visibility_restriction")] public string? EndDateVisibilityRestriction { get; init; }
    [JsonPropertyName("decision_facts")] public string? DecisionFacts { get; init; }
    [JsonPropertyName("source_type")] public string? SourceType { get; init; }
    [JsonPropertyName("source_identity")] public string? SourceIdentity { get; init; }
    [JsonPropertyName("automated_detection")] public string? AutomatedDetection { get; init; }
    [JsonPropertyName("automated_decision")] public string? AutomatedDecision { get; init; }
    [JsonPropertyName("puid")] public string? Puid { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StatementOfReasons FromJson(string json) =>
        JsonSerializer.Deserialize<StatementOfReasons>(json, Json) ?? throw new JsonException("A statement of reasons must be a JSON object.");
}
