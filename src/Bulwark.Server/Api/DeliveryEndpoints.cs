using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record WebhookRequest(string? Name, string? Url, string? Secret, List<string>? Kinds, bool? Enabled, bool IncludeHistory);
public sealed record WebhookPatchRequest(string? Url, List<string>? Kinds, bool? Enabled);
public sealed record WebhookRetryRequest(List<long>? Ids, bool All);
public sealed record WebhookRetryResponse(int Retried);
public sealed record DeadDeliveryPage(IReadOnlyList<DeadDelivery> Items, long? NextCursor);

/// <summary><c>/api/v1/actions</c> (pull feed, <c>actions:read</c>) and <c>/api/v1/webhooks</c> (subscriptions and dead letters, <c>webhooks:admin</c>).</summary>
public static class DeliveryEndpoints
{
    public static void MapDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/actions", FeedAsync).WithTags("Actions").RequireAuthorization(Scopes.ActionsRead).WithName("ListActions")
            .WithSummary("Platform actions in id order. Page with ?after= (the previous page's nextCursor, opaque) and ?limit= (1–1000, default 100).");

        var hooks = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization(Scopes.WebhooksAdmin);
        hooks.MapGet("/", async (WebhookService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct))).WithName("ListWebhooks").WithSummary("Every subscription (secrets are never shown again).");
        hooks.MapPost("/", CreateAsync).WithName("CreateWebhook").AcceptsJson<WebhookRequest>(JsonSerializerOptions.Web)
            .WithSummary("Subscribe a receiver: name, url, kinds (e.g. content.remove, account.*; empty = all), secret (generated when omitted; returned once), enabled, includeHistory.");
        hooks.MapGet("/{id:long}", GetAsync).WithName("GetWebhook").WithSummary("One subscription.");
        hooks.MapPatch("/{id:long}", UpdateAsync).WithName("UpdateWebhook").AcceptsJson<WebhookPatchRequest>(JsonSerializerOptions.Web).WithSummary("Change url, kinds or enabled (disabled = paused: actions wait, none are skipped).");
        hooks.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteWebhook").WithSummary("Delete a subscription and its pending deliveries.");
        hooks.MapGet("/deadletters", ListDeadAsync).WithName("ListWebhookDeadLetters").WithSummary("Deliveries that failed every attempt, with the last error; page with ?after=&limit=.");
        hooks.MapPost("/deadletters/retry", RetryAsync).WithName("RetryWebhookDeadLetters").AcceptsJson<WebhookRetryRequest>(JsonSerializerOptions.Web)
            .WithSummary("Send dead deliveries again with fresh attempts: {ids:[…]} or {all:true}.");
    }

    private static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> FeedAsync(ActionFeed feed, CancellationToken ct, string? after = null, int limit = 100)
    {
        if (limit is < 1 or > ActionFeed.MaxLimit) return Problems.ValidationFailed([new FieldError("limit", $"must be between 1 and {ActionFeed.MaxLimit}")]);
        try { return TypedResults.Ok(await feed.PageAsync(after, limit, ct)); }
        catch (ArgumentException ex) { return Problems.ValidationFailed([new FieldError("after", Clean(ex))]); }
    }

    private static async Task<Results<Created<WebhookCreated>, ProblemHttpResult>> CreateAsync(HttpContext http, WebhookService s, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<WebhookRequest>(http, ct);
        if (problem is not null) return problem;
        try
        {
            var created = await s.CreateAsync(new NewWebhook(body!.Name, body.Url, body.Secret, body.Kinds, body.Enabled ?? true, body.IncludeHistory), AdminEndpoints.Actor(http), ct);
            return TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", created);
        }
        catch (WebhookValidationException ex) { return Problems.ValidationFailed(ex.Errors); }
        catch (InvalidOperationException ex) { return Problems.Make(409, Problems.Validation, "The webhook already exists.", ex.Message); }
    }

    private static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> GetAsync(long id, WebhookService s, CancellationToken ct)
    {
        try { return TypedResults.Ok(await s.GetAsync(id, ct)); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> UpdateAsync(long id, HttpContext http, WebhookService s, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<WebhookPatchRequest>(http, ct);
        if (problem is not null) return problem;
        try { return TypedResults.Ok(await s.UpdateAsync(id, new WebhookPatch(body!.Url, body.Kinds, body.Enabled), AdminEndpoints.Actor(http), ct)); }
        catch (WebhookValidationException ex) { return Problems.ValidationFailed(ex.Errors); }
        catch (KeyNotFoundException ex) { return Problems.NotFoundResult(ex.Message); }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, HttpContext http, WebhookService s, CancellationToken ct) =>
        await s.DeleteAsync(id, AdminEndpoints.Actor(http), ct) ? TypedResults.NoContent() : Problems.NotFoundResult($"No webhook with id {id}.");

    private static async Task<Results<Ok<DeadDeliveryPage>, ProblemHttpResult>> ListDeadAsync(WebhookService s, CancellationToken ct, long after = 0, int limit = 100)
    {
        if (limit is < 1 or > 1000) return Problems.ValidationFailed([new FieldError("limit", "must be between 1 and 1000")]);
        var items = await s.ListDeadAsync(after, limit, ct);
        return TypedResults.Ok(new DeadDeliveryPage(items, items.Count == limit ? items[^1].Id : null));
    }

    private static async Task<Results<Ok<WebhookRetryResponse>, ProblemHttpResult>> RetryAsync(HttpContext http, WebhookService s, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<WebhookRetryRequest>(http, ct);
        if (problem is not null) return problem;
        if (body!.Ids is not { Count: > 0 } && !body.All) return Problems.ValidationFailed([new FieldError("ids", "name the deliveries to retry, or send all: true")]);
        if (body.Ids is { Count: > 0 } && body.All) return Problems.ValidationFailed([new FieldError("all", "cannot be combined with ids")]);
        return TypedResults.Ok(new WebhookRetryResponse(await s.RetryDeadAsync(body.All ? null : body.Ids, AdminEndpoints.Actor(http), ct)));
    }

    private static string Clean(ArgumentException ex) => ex.Message.Split(" (Parameter")[0];

    private static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class =>
        JsonBody.ReadBoundAsync<T>(http, ct);
}
