using Bulwark.Core.Ingest;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record PreservationPage(IReadOnlyList<PreservedItemSummary> Items, long? NextCursor);
public sealed record HoldRequest(string? Reference, string? Reason);
public sealed record ReleaseRequest(string? Reason);

/// <summary>
/// <c>/api/v1/preservation</c> (Reg. 2021/784 Art. 6): preserved removed content for legal officers. Reading needs
/// <c>preservation:read</c>, holds <c>preservation:hold</c>; neither comes with admin. Every list, read and download is audited.
/// </summary>
public static class PreservationEndpoints
{
    public static void MapPreservationEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/preservation").WithTags("Preservation").RequireAuthorization(Scopes.PreservationRead);
        read.MapGet("/", ListAsync).WithName("ListPreserved").WithSummary("Preserved items in id order, optionally ?contentId=; page with ?cursor=. Audited.");
        read.MapGet("/{id:long}", GetAsync).WithName("GetPreserved").WithSummary("One preserved item: the stored event, signals, decision, media files and holds. Audited.");
        read.MapGet("/{id:long}/files/{sha256}", DownloadAsync).WithName("DownloadPreservedFile").WithSummary("A preserved media file by its SHA-256. Audited.");
        var hold = app.MapGroup("/api/v1/preservation").WithTags("Preservation").RequireAuthorization(Scopes.PreservationHold);
        hold.MapPost("/{id:long}/holds", PlaceHoldAsync).WithName("PlaceHold").AcceptsJson<HoldRequest>(AppealEndpoints.Strict)
            .WithSummary("Place a legal hold {reference, reason}: the item is kept past its expiry until every hold is released.");
        hold.MapPost("/{id:long}/holds/{holdId:long}/release", ReleaseHoldAsync).WithName("ReleaseHold").AcceptsJson<ReleaseRequest>(AppealEndpoints.Strict)
            .WithSummary("Release a hold {reason}; the item is purged at the next run once it has expired and no hold remains.");
    }

    private static async Task<Results<Ok<PreservationPage>, ProblemHttpResult>> ListAsync(HttpContext http, PreservationService store, CancellationToken ct,
        string? contentId = null, long cursor = 0, int limit = 100)
    {
        var errors = new List<FieldError>();
        if (limit is < 1 or > 1000) errors.Add(new("limit", "must be between 1 and 1000"));
        if (cursor < 0) errors.Add(new("cursor", "must not be negative"));
        if (contentId is { Length: 0 or > 128 }) errors.Add(new("contentId", "must be 1–128 characters"));
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        var items = await store.ListAsync(AdminEndpoints.Actor(http), contentId, cursor, limit, ct);
        return TypedResults.Ok(new PreservationPage(items, items.Count == limit ? items[^1].Id : null));
    }

    private static async Task<Results<Ok<PreservedItemView>, ProblemHttpResult>> GetAsync(long id, HttpContext http, PreservationService store, CancellationToken ct) =>
        await store.GetAsync(id, AdminEndpoints.Actor(http), ct) is { } item ? TypedResults.Ok(item) : Problems.NotFoundResult($"There is no preserved item {id}.");

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(long id, string sha256, HttpContext http, PreservationService store, CancellationToken ct)
    {
        var result = await store.OpenFileAsync(id, sha256, AdminEndpoints.Actor(http), ct);
        if (result.Value is not { } file) return Problem(result);
        return TypedResults.File(file.Content, file.MimeType ?? "application/octet-stream", fileDownloadName: file.Sha256);
    }

    private static async Task<Results<Created<HoldView>, ProblemHttpResult>> PlaceHoldAsync(long id, HttpContext http, PreservationService store, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<HoldRequest>(http, ct);
        if (problem is not null) return problem;
        var result = await store.PlaceHoldAsync(id, body!.Reference, body.Reason, AdminEndpoints.Actor(http), ct);
        return result.Value is { } h ? TypedResults.Created($"/api/v1/preservation/{id}", h) : Problem(result);
    }

    private static async Task<Results<Ok<HoldView>, ProblemHttpResult>> ReleaseHoldAsync(long id, long holdId, HttpContext http, PreservationService store, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<ReleaseRequest>(http, ct);
        if (problem is not null) return problem;
        var result = await store.ReleaseHoldAsync(id, holdId, body!.Reason, AdminEndpoints.Actor(http), ct);
        return result.Value is { } h ? TypedResults.Ok(h) : Problem(result);
    }

    private static ProblemHttpResult Problem<T>(PreservationResult<T> r) => r.Error switch
    {
        PreservationError.Invalid => Problems.ValidationFailed(r.Errors),
        PreservationError.NotFound or PreservationError.HoldNotFound => Problems.NotFoundResult(r.Message!),
        PreservationError.HoldReleased => Problems.Make(409, Problems.HoldAlreadyReleased, "The hold was already released.", r.Message!),
        _ => throw new InvalidOperationException($"Unmapped preservation error {r.Error}."),
    };
}
