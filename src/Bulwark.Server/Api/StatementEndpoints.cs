using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record NoticeRequest(string? Language, string? PolicyName, string? PolicyExplanation, string? AppealUrl, DateOnly? AppealDeadline);
public sealed record NoticeResponse(string Puid, string Language, string Text);

/// <summary><c>/api/v1/statements</c>: a recorded statement of reasons, and its user notice rendered in English or Italian.</summary>
public static class StatementEndpoints
{
    public static void MapStatementEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/statements").WithTags("Statements of reasons").RequireAuthorization(Scopes.Read);
        group.MapGet("/{puid}", GetAsync).WithName("GetStatementOfReasons")
            .WithSummary("A statement of reasons in the Transparency Database schema, with its submission status and today's validation errors (empty when valid).");
        group.MapPost("/{puid}/notice", NoticeAsync).WithName("RenderStatementNotice").Accepts<NoticeRequest>("application/json")
            .WithSummary("The DSA Art. 17(3) notice for the affected user: {language (en, it; others fall back to en), policyName, policyExplanation, appealUrl, appealDeadline}.");
    }

    private static async Task<Results<Ok<StatementRecord>, ProblemHttpResult>> GetAsync(string puid, StatementOfReasonsService service, CancellationToken ct) =>
        await service.GetAsync(puid, ct) is { } record ? TypedResults.Ok(record) : Problems.NotFoundResult($"No statement of reasons with puid '{puid}'.");

    private static async Task<Results<Ok<NoticeResponse>, ProblemHttpResult>> NoticeAsync(string puid, HttpContext http, StatementOfReasonsService service, CancellationToken ct)
    {
        NoticeRequest? body;
        try { body = await JsonSerializer.DeserializeAsync<NoticeRequest>(http.Request.Body, JsonSerializerOptions.Web, ct); }
        catch (JsonException ex) { return JsonBody.Describe(ex); }
        if (body is null) return Problems.Malformed("The body is empty or the JSON literal null; an object is required.");
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(body.PolicyName)) errors.Add(new("policyName", "is required"));
        if (string.IsNullOrWhiteSpace(body.PolicyExplanation)) errors.Add(new("policyExplanation", "is required"));
        if (!Uri.TryCreate(body.AppealUrl, UriKind.Absolute, out var appeal) || appeal.Scheme is not ("http" or "https")) errors.Add(new("appealUrl", "must be an http(s) URL"));
        if (body.AppealDeadline is null) errors.Add(new("appealDeadline", "is required (YYYY-MM-DD)"));
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        if (await service.GetAsync(puid, ct) is not { } record) return Problems.NotFoundResult($"No statement of reasons with puid '{puid}'.");
        var language = SorNotice.Languages.Contains((body.Language ?? "en").Trim().ToLowerInvariant().Split('-', '_')[0]) ? (body.Language ?? "en").Trim().ToLowerInvariant().Split('-', '_')[0] : "en";
        var text = SorNotice.Render(record.Statement, new NoticeContext(body.PolicyName!, body.PolicyExplanation!, body.AppealUrl!, body.AppealDeadline!.Value), language);
        return TypedResults.Ok(new NoticeResponse(puid, language, text));
    }
}
