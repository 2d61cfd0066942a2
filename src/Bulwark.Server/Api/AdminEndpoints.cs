using Bulwark.Core.Accounts;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public static class AdminEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/accounts", UpsertAccountAsync)
            .RequireAuthorization(Scopes.Ingest)
            .WithTags("Accounts")
            .WithName("UpsertAccount")
            .AcceptsJson<AccountProfile>(IngestJson.Default.Options)
            .WithSummary("Create or update an account profile (handle, display name, bio, links, country).");
    }

    public static void MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/queue", async (IWorkQueue queue, CancellationToken ct) =>
                TypedResults.Ok(new QueueView(await queue.DepthAsync(ct), await queue.DeadLetterCountAsync(ct))))
            .RequireAuthorization(Scopes.Read).WithTags("Operations").WithName("GetQueue")
            .WithSummary("Work items waiting or in progress, and dead letters.");
        var group = app.MapGroup("/api/v1").WithTags("Operations").RequireAuthorization(Scopes.Admin);
        group.MapGet("/deadletters", ListDeadLettersAsync).WithName("ListDeadLetters")
            .WithSummary("Work items that exhausted their attempts or failed permanently, oldest first; page with ?cursor=.");
        group.MapPost("/deadletters/retry", RetryDeadLettersAsync).WithName("RetryDeadLetters")
            .WithSummary("Put dead letters back in the queue: the listed ids, or all when the body has no ids.");
        group.MapGet("/audit/verify", VerifyAuditAsync).WithName("VerifyAudit")
            .WithSummary("Walk the hash-chained audit log and name the first broken entry, if any.");
    }

    private static async Task<Results<Ok<AccountResponse>, Created<AccountResponse>, ProblemHttpResult>> UpsertAccountAsync(
        HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var parsed = await JsonBody.ReadAsync(http.Request.Body, IngestJson.Default.AccountProfile, ct);
        if (parsed.Problem is not null) return parsed.Problem;
        var result = await accounts.UpsertAsync(parsed.Value!, Actor(http), ct);
        if (result.Errors.Count > 0) return Problems.ValidationFailed(result.Errors);
        var body = new AccountResponse(parsed.Value!.Id!, result.Created, result.Changed);
        return result.Created ? TypedResults.Created($"/api/v1/accounts/{Uri.EscapeDataString(body.Id)}", body) : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<DeadLetterPage>, ProblemHttpResult>> ListDeadLettersAsync(
        IWorkQueue queue, CancellationToken ct, long cursor = 0, int limit = 100)
    {
        if (limit is < 1 or > 1000) return Problems.ValidationFailed([new FieldError("limit", "must be between 1 and 1000")]);
        if (cursor < 0) return Problems.ValidationFailed([new FieldError("cursor", "must not be negative")]);
        var items = await queue.ListDeadLettersAsync(cursor, limit, ct);
        return TypedResults.Ok(new DeadLetterPage(
            items.Select(d => new DeadLetterView(d.WorkItemId, d.ContentId, d.Version, d.Attempts, d.LastError, d.DeadLetteredAt)).ToList(),
            items.Count == limit ? items[^1].WorkItemId : null));
    }

    private static async Task<Ok<RetryResponse>> RetryDeadLettersAsync(
        HttpContext http, DeadLetterRetry deadLetters, AuditLog audit, Bulwark.Core.Storage.IBulwarkDbFactory dbs, RetryRequest? request, CancellationToken ct)
    {
        var retried = await deadLetters.RetryAsync(request?.Ids, ct);
        if (retried > 0)
        {
            await audit.RecordAsync(dbs, new AuditRecord(Actor(http), "deadletters.retried", "queue:dead-letters",
                After: $"{retried} item(s) requeued" + (request?.Ids is { } ids ? $": {string.Join(",", ids.Take(50))}" : " (all)")), ct);
        }
        return TypedResults.Ok(new RetryResponse(retried));
    }

    private static async Task<Ok<AuditVerification>> VerifyAuditAsync(AuditVerifier verifier, CancellationToken ct) =>
        TypedResults.Ok(await verifier.VerifyAsync(ct));

    internal static string Actor(HttpContext http) => $"apikey:{http.User.Identity?.Name ?? "anonymous"}";
}
