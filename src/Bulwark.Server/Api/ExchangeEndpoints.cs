using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using Bulwark.Core.Signals.Exchange;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record ExchangeStatusRequest(string? Reason);
public sealed record PublicationRequest(string? Name, string? Bank, List<string>? Labels, string? Description);

/// <summary>
/// <c>/api/v1/exchanges</c>: partner exchanges (read: status, fetches, feedback; admin: sync now, pause, resume);
/// <c>/api/v1/exchange-publications</c>: banks published as exchanges (policy:admin); <c>/api/v1/exchange-feeds/{name}</c>:
/// the signed feed other instances pull (scope <c>exchanges:pull</c>). Request bodies are strict: an unknown field is a 400
/// naming it, so a misspelt <c>reason</c> is never silently dropped from the audit log.
/// </summary>
public static class ExchangeEndpoints
{
    public static void MapExchangeEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/exchanges").WithTags("Exchanges").RequireAuthorization(Scopes.Read);
        read.MapGet("/", async (ExchangeAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(ct))).WithName("ListExchanges")
            .WithSummary("Every configured partner with its status, checkpoint, last fetch, counts and last error (never its token).");
        read.MapGet("/{name}/fetches", FetchesAsync).WithName("ListExchangeFetches").WithSummary("The partner's latest fetches, newest first (?limit=, at most 500).");
        read.MapGet("/{name}/feedback", FeedbackAsync).WithName("ListExchangeFeedback").WithSummary("Opinions recorded for the partner and whether they were sent, newest first.");

        var admin = app.MapGroup("/api/v1/exchanges").WithTags("Exchanges").RequireAuthorization(Scopes.Admin);
        admin.MapPost("/{name}/sync", SyncAsync).WithName("SyncExchange").WithSummary("Fetch now from the last good checkpoint (also while paused); answers the fetch record.");
        admin.MapPost("/{name}/pause", (string name, HttpContext http, ExchangeAdmin a, CancellationToken ct) => SetAsync(name, http, a, pause: true, ct))
            .WithName("PauseExchange").AcceptsJson<ExchangeStatusRequest>(AppealEndpoints.Strict).WithSummary("Stop fetching the partner ({reason}); its entries keep matching.");
        admin.MapPost("/{name}/resume", (string name, HttpContext http, ExchangeAdmin a, CancellationToken ct) => SetAsync(name, http, a, pause: false, ct))
            .WithName("ResumeExchange").AcceptsJson<ExchangeStatusRequest>(AppealEndpoints.Strict).WithSummary("Resume a partner paused by a person or by the flood guard ({reason}).");

        var pubRead = app.MapGroup("/api/v1/exchange-publications").WithTags("Exchanges").RequireAuthorization(Scopes.Read);
        pubRead.MapGet("/", async (ExchangePublisher p, CancellationToken ct) => TypedResults.Ok(await p.ListAsync(ct))).WithName("ListExchangePublications").WithSummary("Banks published as exchanges.");
        var pub = app.MapGroup("/api/v1/exchange-publications").WithTags("Exchanges").RequireAuthorization(Scopes.PolicyAdmin);
        pub.MapPost("/", PublishAsync).WithName("PublishExchange").AcceptsJson<PublicationRequest>(AppealEndpoints.Strict)
            .WithSummary("Publish a bank as a signed, labelled exchange: {name, bank, labels, description}.");
        pub.MapDelete("/{name}", WithdrawAsync).WithName("WithdrawExchange").WithSummary("Stop publishing an exchange.");

        var feed = app.MapGroup("/api/v1/exchange-feeds").WithTags("Exchanges").RequireAuthorization(Scopes.ExchangesPull);
        feed.MapGet("/{name}", PageAsync).WithName("PullExchange")
            .WithSummary("A page of a published exchange (bulwark-exchange/1) after ?checkpoint= (the previous page's checkpoint), signed in the Bulwark-Signature header.");
        feed.MapGet("/{name}/key", (ExchangePublisher p) => TypedResults.Text(p.PublicKeyPem(), "application/x-pem-file")).WithName("ExchangeSigningKey")
            .WithSummary("The public key (PEM) that verifies this instance's exchange pages.");
    }

    private static async Task<Results<Ok<IReadOnlyList<FetchView>>, ProblemHttpResult>> FetchesAsync(string name, int? limit, ExchangeOptions options, ExchangeAdmin admin, CancellationToken ct)
    {
        if (options.Find(name) is null) return Problems.NotFoundResult($"No exchange partner named '{name}' is configured.");
        return TypedResults.Ok(await admin.FetchesAsync(name, Math.Clamp(limit ?? 50, 1, 500), ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<FeedbackView>>, ProblemHttpResult>> FeedbackAsync(string name, int? limit, ExchangeOptions options, ExchangeFeedback feedback, CancellationToken ct)
    {
        if (options.Find(name) is null) return Problems.NotFoundResult($"No exchange partner named '{name}' is configured.");
        return TypedResults.Ok(await feedback.ListAsync(name, Math.Clamp(limit ?? 50, 1, 500), ct));
    }

    private static async Task<Results<Ok<FetchView>, ProblemHttpResult>> SyncAsync(string name, HttpContext http, ExchangeSyncService sync, CancellationToken ct)
    {
        try
        {
            var f = (await sync.SyncAsync(name, AdminEndpoints.Actor(http), ct, force: true)).Fetch;
            return TypedResults.Ok(new FetchView(f.Id, f.Exchange, f.StartedAt, f.FinishedAt, f.Outcome, f.FullRefetch, f.Pages, f.Created, f.Updated, f.Deleted,
                f.UnknownDeletes, f.Skipped, f.Alerts, f.CheckpointBefore, f.CheckpointAfter, f.Error, f.Notes));
        }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<Ok<ExchangeView>, ProblemHttpResult>> SetAsync(string name, HttpContext http, ExchangeAdmin admin, bool pause, CancellationToken ct)
    {
        ExchangeStatusRequest? body = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (value, problem) = await JsonBody.ReadBoundAsync<ExchangeStatusRequest>(http, ct);
            if (problem is not null) return problem;
            body = value;
        }
        try
        {
            var actor = AdminEndpoints.Actor(http);
            return TypedResults.Ok(pause ? await admin.PauseAsync(name, body?.Reason, actor, ct) : await admin.ResumeAsync(name, body?.Reason, actor, ct));
        }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
        catch (ArgumentException ex) { return Problems.ValidationFailed([new FieldError("reason", ex.Message)]); }
    }

    private static async Task<Results<Created<PublicationView>, ProblemHttpResult>> PublishAsync(HttpContext http, ExchangePublisher publisher, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadBoundAsync<PublicationRequest>(http, ct);
        if (problem is not null) return problem;
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(body!.Name)) errors.Add(new FieldError("name", "is required"));
        if (string.IsNullOrWhiteSpace(body.Bank)) errors.Add(new FieldError("bank", "is required"));
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        try
        {
            var view = await publisher.PublishAsync(body.Name!, body.Bank!, body.Labels, body.Description, AdminEndpoints.Actor(http), ct);
            return TypedResults.Created($"/api/v1/exchange-feeds/{view.Name}", view);
        }
        catch (ArgumentException ex) { return Problems.ValidationFailed([new FieldError(ex.ParamName ?? "body", ex.Message.Split(" (Parameter")[0])]); }
        catch (KeyNotFoundException ex) { return Problems.ValidationFailed([new FieldError("bank", ex.Message)]); }
        catch (InvalidOperationException ex) { return Problems.Make(409, Problems.Validation, "The exchange is already published.", ex.Message); }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> WithdrawAsync(string name, HttpContext http, ExchangePublisher publisher, CancellationToken ct)
    {
        try { await publisher.WithdrawAsync(name, AdminEndpoints.Actor(http), ct); return TypedResults.NoContent(); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<IResult> PageAsync(string name, string? checkpoint, int? limit, HttpContext http, ExchangePublisher publisher, CancellationToken ct)
    {
        try
        {
            var (body, signature) = await publisher.PageAsync(name, checkpoint, limit ?? 1000, ct);
            http.Response.Headers[ExchangePublisher.SignatureHeader] = signature;
            return Results.Bytes(body, "application/json");
        }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
        catch (ArgumentException ex) { return Problems.ValidationFailed([new FieldError("checkpoint", ex.Message.Split(" (Parameter")[0])]); }
    }
}
