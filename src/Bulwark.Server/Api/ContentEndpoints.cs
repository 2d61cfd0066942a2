using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Bulwark.Server.Api;

public static class ContentEndpoints
{
    /// <summary>Largest JSON body for a single event: generous for an event whose text fields are each at most 64 KiB.</summary>
    public const long SingleJsonLimit = 4L * 1024 * 1024;

    public static void MapContentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/content").WithTags("Content");
        group.MapPost("", SubmitAsync)
            .RequireAuthorization(Scopes.Ingest)
            .WithName("SubmitContent")
            .WithSummary("Submit one content event (JSON, or multipart with an 'event' part and 'media' file parts).")
            .AcceptsJson<ContentEvent>(IngestJson.Default.Options, "multipart/form-data");
        group.MapPost("/batch", SubmitBatchAsync)
            .RequireAuthorization(Scopes.Ingest)
            .WithName("SubmitContentBatch")
            .AcceptsJson<BatchRequest>(IngestJson.Default.Options)
            .WithSummary("Submit up to 1,000 events; each gets its own result, and a bad one never blocks the others.");
        group.MapPost("/{id}/deleted", MarkDeletedAsync)
            .RequireAuthorization(Scopes.Ingest)
            .WithName("ContentDeletedUpstream")
            .AcceptsJson<UpstreamDeletionNotice>(AppealEndpoints.Strict)
            .WithSummary("The platform deleted this content itself ({reason?}). Review cases show it; a violation verdict then records the account measures and skips the content actions. Idempotent.");
        group.MapGet("/{id}", GetAsync)
            .RequireAuthorization(Scopes.Read)
            .WithName("GetContent")
            .WithSummary("Status, signals, decision and version history of a content item.");
    }

    private static async Task<Results<Accepted<IngestResponse>, Ok<IngestResponse>, ProblemHttpResult>> SubmitAsync(
        HttpContext http, IngestService ingest, IMediaStore media, IngestOptions options, CancellationToken ct)
    {
        var contentType = http.Request.ContentType ?? "";
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        ContentEvent? e;
        Dictionary<string, StoredMedia>? uploads = null;
        // Uploaded parts are staged beside the store and moved in only once the event is valid; a refused request
        // (413, 400, validation, a dropped connection) leaves no file behind.
        var staged = new List<StagedMedia>();
        try
        {
            if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                SetLimit(sizeFeature, options.MaxVideoBytes * Math.Max(1, options.MaxMediaPerEvent) + SingleJsonLimit);
                var parsed = await ReadMultipartAsync(http.Request, media, options, staged, ct);
                if (parsed.Problem is not null) return parsed.Problem;
                (e, uploads) = (parsed.Event, parsed.Uploads);
            }
            else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                SetLimit(sizeFeature, SingleJsonLimit);
                var parsed = await JsonBody.ReadAsync(http.Request.Body, IngestJson.Default.ContentEvent, ct, refuseNul: false);
                if (parsed.Problem is not null) return parsed.Problem;
                e = parsed.Value;
            }
            else
            {
                return Problems.Make(415, Problems.UnsupportedMediaType, "Unsupported content type.",
                    $"Send application/json or multipart/form-data; got '{(contentType.Length == 0 ? "none" : contentType)}'.");
            }

            var outcome = await ingest.AcceptOneAsync(e!, uploads, ct, whenValid: staged.Count == 0 ? null : () => staged.ForEach(media.Commit));
            return outcome.Status switch
            {
                IngestStatus.Accepted => TypedResults.Accepted($"/api/v1/content/{Uri.EscapeDataString(outcome.Id!)}", new IngestResponse(outcome.Id!, outcome.Version, outcome.ContentStatus!)),
                IngestStatus.Existing => TypedResults.Ok(new IngestResponse(outcome.Id!, outcome.Version, outcome.ContentStatus!)),
                _ => Problems.ValidationFailed(outcome.Errors),
            };
        }
        finally
        {
            staged.ForEach(f => f.Dispose());
        }
    }

    private static async Task<Results<Ok<UpstreamDeletionResponse>, ProblemHttpResult>> MarkDeletedAsync(string id, HttpContext http, ReviewQaService review, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<UpstreamDeletionNotice>(http, ct);
        if (problem is not null) return problem;
        var result = await review.MarkDeletedUpstreamAsync(id, body!.Reason, AdminEndpoints.Actor(http), ct);
        return result.Error switch
        {
            ReviewError.None => TypedResults.Ok(new UpstreamDeletionResponse(id, result.Value)),
            // The review service's stable code (docs/api.md) is what a client branches on; the detail explains in English.
            ReviewError.NotFound => Problems.Make(404, Problems.NotFound, "Not found.", result.Message!, new Dictionary<string, object?> { ["code"] = result.Why?.Code }),
            _ => Problems.Make(400, Problems.Validation, "The request has invalid fields.", result.Message!, new Dictionary<string, object?>
            {
                ["code"] = result.Why?.Code,
                ["errors"] = new Dictionary<string, string[]> { [result.Why?.Code == Bulwark.Core.Actions.Review.ReviewCodes.DeletionReasonTooLong ? "reason" : "id"] = [result.Message!] },
            }),
        };
    }

    private static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> SubmitBatchAsync(
        HttpContext http, IngestService ingest, IngestOptions options, CancellationToken ct)
    {
        var parsed = await JsonBody.ReadAsync(http.Request.Body, IngestJson.Default.BatchRequest, ct, refuseNul: false);
        if (parsed.Problem is not null) return parsed.Problem;
        var events = parsed.Value!.Events;
        if (events is null) return Problems.ValidationFailed([new FieldError("events", "is required: an array of content events")]);
        if (events.Count > options.MaxBatchSize)
            return Problems.ValidationFailed([new FieldError("events", $"has {events.Count} items; at most {options.MaxBatchSize} are accepted per batch")]);

        var results = new BatchItemResult?[events.Count];
        var toSubmit = new List<ContentEvent>(events.Count);
        var positions = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var item = JsonBody.Read(events[i], IngestJson.Default.ContentEvent);
            if (item.Problem is not null)
            {
                results[i] = new BatchItemResult(i, TryId(events[i]), "rejected", null, null, Prefix(item.Problem, i));
                continue;
            }
            toSubmit.Add(item.Value!);
            positions.Add(i);
        }
        var outcomes = await ingest.AcceptManyAsync(toSubmit, ct);
        for (var k = 0; k < outcomes.Count; k++)
        {
            var o = outcomes[k];
            var i = positions[k];
            results[i] = o.Status switch
            {
                IngestStatus.Accepted => new BatchItemResult(i, o.Id, "accepted", o.Version, o.ContentStatus, null),
                IngestStatus.Existing => new BatchItemResult(i, o.Id, "existing", o.Version, o.ContentStatus, null),
                _ => new BatchItemResult(i, o.Id, "rejected", null, null, Problems.ValidationFailed(o.Errors, $"events[{i}]").ProblemDetails),
            };
        }
        var list = results.Select(r => r!).ToList();
        return TypedResults.Ok(new BatchResponse(
            list.Count(r => r.Result == "accepted"), list.Count(r => r.Result == "existing"), list.Count(r => r.Result == "rejected"), list));
    }

    private static async Task<Results<Ok<ContentView>, ProblemHttpResult>> GetAsync(string id, IBulwarkDbFactory dbs, IWorkQueue queue, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var item = await db.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null) return Problems.NotFoundResult($"No content with id '{id}' has been submitted.");
        var versions = await db.ContentVersions.AsNoTracking().Where(v => v.ContentId == id)
            .Select(v => new { v.Id, v.Version, v.Status, v.ReceivedAt, v.DecidedAt, v.Error }).ToListAsync(ct);
        versions.Sort((a, b) => b.Version.CompareTo(a.Version));
        var latest = versions[0];
        var status = latest.Status;
        // "processing" when the queue can tell that a worker holds the item (the database queue can; a broker cannot, cheaply).
        if (status == ContentStatus.Queued && await queue.IsInProgressAsync(latest.Id, ct) == true) status = ContentStatus.Processing;
        var signals = await db.Signals.AsNoTracking().Where(s => s.ContentVersionId == latest.Id).OrderBy(s => s.Id).ToListAsync(ct);
        var decision = await db.Decisions.AsNoTracking().FirstOrDefaultAsync(d => d.ContentVersionId == latest.Id, ct);
        return TypedResults.Ok(new ContentView(
            item.Id, item.Kind, item.AccountId, latest.Version, status, latest.ReceivedAt, latest.DecidedAt, latest.Error,
            signals.Select(s => new SignalView(s.Type, s.Source, s.Explanation, s.Value, s.Score, s.Distance, s.Bank, s.BankEntryId, Strings(s.LabelsJson))
            {
                Details = s.DetailsJson is null ? null : Json(s.DetailsJson),
            }).ToList(),
            decision is null ? null : new DecisionView(decision.Outcome, decision.Queue, decision.Explanation, Strings(decision.RulesJson), decision.Automated, decision.DecidedAt)
            {
                Id = decision.Id,
                Policy = decision.Policy, Priority = decision.Priority, Exception = decision.ExceptionApplied, RuleSet = decision.RuleSet,
                Actions = Json(decision.ActionsJson), Fired = Json(decision.FiredJson), Shadow = Json(decision.ShadowJson),
            },
            versions.Select(v => new VersionSummary(v.Version, v.Status, v.ReceivedAt, v.DecidedAt)).ToList()));
    }

    private static System.Text.Json.JsonElement Json(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private sealed record MultipartParse(ContentEvent? Event, Dictionary<string, StoredMedia>? Uploads, ProblemHttpResult? Problem);

    /// <summary>Streams media parts to staged files beside the media store (never fully in memory), then parses the event part.</summary>
    private static async Task<MultipartParse> ReadMultipartAsync(HttpRequest request, IMediaStore media, IngestOptions options, List<StagedMedia> staged, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            return new(null, null, Problems.Make(400, Problems.BadRequest, "Malformed multipart body.", "The multipart/form-data content type has no boundary."));
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        var uploads = new Dictionary<string, StoredMedia>(StringComparer.Ordinal);
        ContentEvent? e = null;
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
        {
            var disposition = section.GetContentDispositionHeader();
            var name = disposition?.Name.Value;
            if (name == "event")
            {
                if (e is not null) return Fail("The multipart body has more than one 'event' part.");
                var parsed = await JsonBody.ReadAsync(section.Body, IngestJson.Default.ContentEvent, ct, refuseNul: false);
                if (parsed.Problem is not null) return new(null, null, parsed.Problem);
                e = parsed.Value;
            }
            else if (name == "media")
            {
                var file = disposition!.FileName.Value ?? disposition.FileNameStar.Value;
                if (string.IsNullOrEmpty(file)) return Fail("A 'media' part has no file name; media items refer to uploads by file name.");
                if (uploads.ContainsKey(file)) return Fail($"Two 'media' parts share the file name '{file}'.");
                var limit = options.MaxMediaBytes(section.ContentType);
                var part = await media.StageAsync(section.Body, limit, ct);
                staged.Add(part);
                var stored = part.Result;
                if (stored.TooLarge)
                    return new(null, null, Problems.Make(413, Problems.PayloadTooLarge, "A media part is too large.",
                        $"Media part '{file}' exceeds the limit of {limit} bytes for {section.ContentType ?? "its type"}.",
                        new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [$"media:{file}"] = [$"exceeds {limit} bytes"] } }));
                uploads[file] = new StoredMedia(file, stored.Sha256!, stored.Size, section.ContentType);
            }
            else
            {
                return Fail($"Unexpected multipart part '{name}'; only 'event' and 'media' parts are accepted.");
            }
        }
        return e is null ? Fail("The multipart body has no 'event' part with the content event JSON.") : new(e, uploads, null);

        static MultipartParse Fail(string detail) => new(null, null, Problems.Make(400, Problems.BadRequest, "Malformed multipart body.", detail));
    }

    private static void SetLimit(IHttpMaxRequestBodySizeFeature? feature, long limit)
    {
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
    }

    private static object? Prefix(ProblemHttpResult problem, int index)
    {
        var details = problem.ProblemDetails;
        if (details.Extensions.TryGetValue("errors", out var errors) && errors is Dictionary<string, string[]> map)
            details.Extensions["errors"] = map.ToDictionary(kv => $"events[{index}].{kv.Key}", kv => kv.Value);
        details.Detail = $"events[{index}]: {details.Detail}";
        return details;
    }

    private static string? TryId(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static IReadOnlyList<string> Strings(string json) => JsonSerializer.Deserialize(json, IngestJson.Default.ListString) ?? [];
}
