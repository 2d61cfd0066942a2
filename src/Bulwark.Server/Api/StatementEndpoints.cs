using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
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
        group.MapPost("/{puid}/notice", NoticeAsync).WithName("RenderStatementNotice").AcceptsJson<NoticeRequest>(JsonSerializerOptions.Web)
            .WithSummary("The DSA Art. 17(3) notice for the affected user: {language (en, it; others fall back to en), policyName, policyExplanation, appealUrl, appealDeadline}; omitted fields come from the decision's policy in the catalogue and the appeals settings.");
    }

    private static async Task<Results<Ok<StatementRecord>, ProblemHttpResult>> GetAsync(string puid, StatementOfReasonsService service, CancellationToken ct) =>
        await service.GetAsync(puid, ct) is { } record ? TypedResults.Ok(record) : Problems.NotFoundResult($"No statement of reasons with puid '{puid}'.");

    // Omitted fields are filled from the decision the statement belongs to: the policy's name and explanation from the
    // catalogue in force (in the notice's language), the appeal deadline from the appeals settings, the appeal URL from
    // Bulwark:Appeals:NoticeAppealUrl. A field that cannot be filled stays required.
    private static async Task<Results<Ok<NoticeResponse>, ProblemHttpResult>> NoticeAsync(
        string puid, HttpContext http, StatementOfReasonsService service, PolicyStore policies, AppealService appeals, AppealOptions appealOptions,
        IBulwarkDbFactory dbs, CancellationToken ct)
    {
        var (body, bad) = await JsonBody.ReadBoundAsync<NoticeRequest>(http, ct);
        if (bad is not null || body is null) return bad!;
        var primary = (body.Language ?? "en").Trim().ToLowerInvariant().Split('-', '_')[0];
        var language = SorNotice.Languages.Contains(primary) ? primary : "en";
        if (await service.GetAsync(puid, ct) is not { } record) return Problems.NotFoundResult($"No statement of reasons with puid '{puid}'.");

        DecisionRow? decision = null;
        if (record.DecisionId is { } id)
        {
            await using var db = dbs.Create();
            decision = await db.Decisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        }
        var policy = decision?.Policy is { } policyId ? (await policies.GetCatalogueAsync(ct)).Find(policyId) : null;
        var name = body.PolicyName ?? policy?.Name?.For(language) ?? policy?.Title;
        var explanation = body.PolicyExplanation ?? policy?.Explanation?.For(language);
        var url = body.AppealUrl ?? appealOptions.NoticeAppealUrl;
        var deadline = body.AppealDeadline ?? (decision is null ? null : DateOnly.FromDateTime(appeals.Deadline(decision.DecidedAt).UtcDateTime));
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(name)) errors.Add(new("policyName", "is required: the statement's decision names no policy of the catalogue"));
        if (string.IsNullOrWhiteSpace(explanation)) errors.Add(new("policyExplanation", "is required: the statement's decision names no policy of the catalogue"));
        if (url is null || !IsWebUrl(url)) errors.Add(new("appealUrl", "must be an http(s) URL (or set Bulwark:Appeals:NoticeAppealUrl)"));
        if (deadline is null) errors.Add(new("appealDeadline", "is required (YYYY-MM-DD): the statement belongs to no decision"));
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        var text = SorNotice.Render(record.Statement, new NoticeContext(name!, explanation!, url!, deadline!.Value), language);
        return TypedResults.Ok(new NoticeResponse(puid, language, text));
    }

    private static bool IsWebUrl(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https";
}
