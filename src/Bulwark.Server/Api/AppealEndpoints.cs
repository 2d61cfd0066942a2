using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Security;
using Bulwark.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record AppealPage(IReadOnlyList<AppealView> Items, long? NextCursor);

/// <summary>
/// <c>/api/v1/appeals</c> (DSA Art. 20). The platform relays a user's appeal with its ingest key; people with the
/// <c>appeals:decide</c> scope list and decide them. The decider is the key itself (<c>apikey:{keyId}</c>), the identity its
/// confirmations record: <c>decidedBy</c> cannot name anyone else, so independence is by identity, not by a typed name.
/// </summary>
public static class AppealEndpoints
{
    internal static readonly JsonSerializerOptions Strict = new(JsonSerializerOptions.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static void MapAppealEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/appeals", SubmitAsync).RequireAuthorization(Scopes.Ingest).WithTags("Appeals").WithName("SubmitAppeal")
            .AcceptsJson<NewAppeal>(Strict)
            .WithSummary("Record a user's appeal against a decision: {decisionId} or {contentId} (its latest restricting decision), and the user's reason. Refused for an unknown decision, one that restricted nothing, an appeal already made, or after the deadline.");
        app.MapGet("/api/v1/appeals/statistics", StatisticsAsync).RequireAuthorization(Scopes.Read).WithTags("Appeals").WithName("AppealStatistics")
            .WithSummary("Counts for transparency reports over [since, until) (ISO 8601; default the last 365 days): received, decided, upheld, reversed, median days to decide, per policy. No personal data.");
        var deciders = app.MapGroup("/api/v1/appeals").WithTags("Appeals").RequireAuthorization(Scopes.AppealsDecide);
        deciders.MapGet("/", ListAsync).WithName("ListAppeals").WithSummary("Appeals in id order, optionally ?status=open|decided; page with ?cursor= (the previous page's nextCursor).");
        deciders.MapGet("/{id:long}", GetAsync).WithName("GetAppeal").WithSummary("One appeal with its outcome and what a reversal did.");
        deciders.MapPost("/{id:long}/decision", DecideAsync).WithName("DecideAppeal").AcceptsJson<AppealDecisionRequest>(Strict)
            .WithSummary("Decide an open appeal: {outcome: upheld|reversed, statement, decidedBy?}. The decider is the calling key (decidedBy may only repeat it); it must not be the identity that took the original decision. A reversal restores the content, removes the strikes and lifts the account measures that no longer stand, in one transaction.");
    }

    private static async Task<Results<Created<AppealView>, ProblemHttpResult>> SubmitAsync(HttpContext http, AppealService appeals, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<NewAppeal>(http, ct);
        if (problem is not null) return problem;
        var result = await appeals.SubmitAsync(body!, AdminEndpoints.Actor(http), ct);
        return result.Appeal is { } a ? TypedResults.Created($"/api/v1/appeals/{a.Id}", a) : Problem(result);
    }

    private static async Task<Results<Ok<AppealPage>, ProblemHttpResult>> ListAsync(HttpContext http, AppealService appeals, CancellationToken ct, string? status = null, long cursor = 0, int limit = 100)
    {
        var errors = new List<FieldError>();
        if (status is not (null or AppealStatus.Open or AppealStatus.Decided)) errors.Add(new("status", "must be 'open' or 'decided'"));
        if (limit is < 1 or > 1000) errors.Add(new("limit", "must be between 1 and 1000"));
        if (cursor < 0) errors.Add(new("cursor", "must not be negative"));
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        var (items, next) = await appeals.ListAsync(status, cursor, limit, Viewer(http), ct);
        return TypedResults.Ok(new AppealPage(items, next));
    }

    private static async Task<Results<Ok<AppealStatistics>, ProblemHttpResult>> StatisticsAsync(AppealService appeals, TimeProvider clock, CancellationToken ct,
        DateTimeOffset? since = null, DateTimeOffset? until = null)
    {
        var to = until ?? clock.GetUtcNow();
        var from = since ?? to.AddDays(-365);
        if (from >= to) return Problems.ValidationFailed([new FieldError("since", "must be before until")]);
        return TypedResults.Ok(await appeals.StatisticsAsync(from, to, ct));
    }

    private static async Task<Results<Ok<AppealView>, ProblemHttpResult>> GetAsync(long id, HttpContext http, AppealService appeals, CancellationToken ct)
    {
        var result = await appeals.GetAsync(id, Viewer(http), ct);
        return result.Appeal is { } a ? TypedResults.Ok(a) : Problem(result);
    }

    /// <summary>The key as a reviewer: its identity and the review roles its scopes give (appeals:decide, appeals:senior).</summary>
    private static ReviewUser Viewer(HttpContext http) =>
        new(AdminEndpoints.Actor(http), Scopes.ReviewRoles(http.User.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)));

    private static async Task<Results<Ok<AppealView>, ProblemHttpResult>> DecideAsync(long id, HttpContext http, AppealService appeals, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<AppealDecisionRequest>(http, ct);
        if (problem is not null) return problem;
        // The key decides as itself (apikey:{id}, as its confirmations record their reviewer); decidedBy may repeat the key's
        // name or that identity, never name a person, so one key cannot confirm a decision and then decide its appeal.
        var principal = AdminEndpoints.Actor(http);
        if (body!.DecidedBy is { } named && string.Equals(named.Trim(), http.User.FindFirst("key_name")?.Value, StringComparison.OrdinalIgnoreCase))
            body = body with { DecidedBy = principal };
        var result = await appeals.DecideAsync(id, body, principal, ct, Viewer(http));
        return result.Appeal is { } a ? TypedResults.Ok(a) : Problem(result);
    }

    private static ProblemHttpResult Problem(AppealResult r) => r.Error switch
    {
        AppealError.Invalid => Problems.ValidationFailed(r.Errors),
        AppealError.UnknownDecision or AppealError.NotFound => Problems.NotFoundResult(r.Message!),
        AppealError.NothingRestricted => Problems.Make(422, Problems.AppealNothingRestricted, "The decision restricted nothing.", r.Message!),
        AppealError.DeadlinePassed => Problems.Make(422, Problems.AppealDeadlinePassed, "The appeal period has ended.", r.Message!),
        AppealError.Duplicate => Problems.Make(409, Problems.AppealDuplicate, "An appeal is already open.", r.Message!),
        AppealError.AlreadyDecided => Problems.Make(409, Problems.AppealAlreadyDecided, "Already decided.", r.Message!),
        AppealError.DeciderConflict => Problems.Make(409, Problems.AppealDeciderConflict, "This person may not decide the appeal.", r.Message!),
        AppealError.Forbidden => Problems.Make(403, Problems.Forbidden, "This key may not work this appeal.", r.Message!),
        _ => throw new InvalidOperationException($"Unmapped appeal error {r.Error}."),
    };

    internal static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class =>
        JsonBody.ReadBoundAsync<T>(http, ct);
}
