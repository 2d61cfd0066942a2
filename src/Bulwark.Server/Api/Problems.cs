using Bulwark.Core.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

/// <summary>RFC 9457 problem details with stable <c>type</c> URIs (listed in docs/api.md). Never a stack trace.</summary>
public static class Problems
{
    public const string Validation = "urn:bulwark:problem:validation";
    public const string MalformedJson = "urn:bulwark:problem:malformed-json";
    public const string Unauthenticated = "urn:bulwark:problem:unauthenticated";
    public const string Forbidden = "urn:bulwark:problem:forbidden";
    public const string NotFound = "urn:bulwark:problem:not-found";
    public const string MethodNotAllowed = "urn:bulwark:problem:method-not-allowed";
    public const string PayloadTooLarge = "urn:bulwark:problem:payload-too-large";
    public const string UnsupportedMediaType = "urn:bulwark:problem:unsupported-media-type";
    public const string BadRequest = "urn:bulwark:problem:bad-request";
    public const string Internal = "urn:bulwark:problem:internal";
    public const string Unavailable = "urn:bulwark:problem:unavailable";
    public const string RulesInvalid = "urn:bulwark:problem:rules-invalid";
    public const string PolicyInvalid = "urn:bulwark:problem:policy-invalid";
    // Appeals (DSA Art. 20) and preservation (Reg. 2021/784 Art. 6)
    public const string AppealNothingRestricted = "urn:bulwark:problem:appeal-nothing-restricted";
    public const string AppealDeadlinePassed = "urn:bulwark:problem:appeal-deadline-passed";
    public const string AppealDuplicate = "urn:bulwark:problem:appeal-duplicate";
    public const string AppealAlreadyDecided = "urn:bulwark:problem:appeal-already-decided";
    public const string AppealDeciderConflict = "urn:bulwark:problem:appeal-decider-conflict";
    public const string HoldAlreadyReleased = "urn:bulwark:problem:hold-already-released";
    public const string RemovalOrderDuplicate = "urn:bulwark:problem:removal-order-duplicate";
    public const string RemovalOrderConflict = "urn:bulwark:problem:removal-order-conflict";
    public const string ReferralConflict = "urn:bulwark:problem:referral-conflict";
    public const string ReferralWrongQueue = "urn:bulwark:problem:referral-wrong-queue";
    public const string ReferralNoRecipient = "urn:bulwark:problem:referral-no-recipient";

    public static ProblemHttpResult Make(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);

    public static ProblemHttpResult ValidationFailed(IEnumerable<FieldError> errors, string? prefix = null)
    {
        var grouped = errors
            .Select(e => prefix is null ? e : e.Prefixed(prefix))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        var first = grouped.First();
        var detail = $"{first.Key} {first.Value[0]}" + (grouped.Count > 1 || first.Value.Length > 1 ? $" (and {grouped.Sum(g => g.Value.Length) - 1} more)" : "");
        return Make(400, Validation, "The request has invalid fields.", detail, new Dictionary<string, object?> { ["errors"] = grouped });
    }

    public static ProblemHttpResult Malformed(string detail, string? field = null) =>
        Make(400, MalformedJson, "The body is not valid JSON for this operation.", detail,
            field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });

    public static ProblemHttpResult NotFoundResult(string detail) => Make(404, NotFound, "Not found.", detail);
}
