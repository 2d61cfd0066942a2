using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Matching.Hashing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record HashedSignal(string SignalType, string Hash, int? Quality);
public sealed record HashResponse(string File, string Kind, IReadOnlyList<HashedSignal> Signals, string? Unhashable);
public sealed record MatchView(string Bank, bool SafeBank, long Entry, string SignalType, int Distance, IReadOnlyList<string> Labels,
    string? Entity, string? Source, int? Threshold, double? QueryMatchPercent, double? ReferenceMatchPercent, string Explanation, string? MatchedBy = null,
    SegmentDetails? Segments = null);
public sealed record MatchResponse(IReadOnlyList<HashedSignal> Query, IReadOnlyList<MatchView> Matches, IReadOnlyList<MatchView> Suppressed, string? Unhashable);
public sealed record SignalQuery(string? SignalType, string? Hash);

/// <summary><c>POST /api/v1/hash</c> and <c>POST /api/v1/match</c>: hash an uploaded file, or match a file or a hash against the banks.</summary>
public static class HashEndpoints
{
    public static void MapHashEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Known content").RequireAuthorization(Scopes.Read);
        group.MapPost("/hash", HashAsync).WithName("HashFile").DisableAntiforgery().Accepts<IFormFile>("multipart/form-data")
            .WithSummary("Every signal of an uploaded file (multipart part 'file'): sha256, md5, and pdq for images or vpdq for videos.");
        group.MapPost("/match", MatchAsync).WithName("Match").DisableAntiforgery().AcceptsJson<SignalQuery>(JsonSerializerOptions.Web, "multipart/form-data")
            .WithSummary("Match a file (multipart part 'file') or a hash ({\"signalType\",\"hash\"}) against every enabled bank; returns the matches and the query's own hashes.");
    }

    private static async Task<Results<Ok<HashResponse>, ProblemHttpResult>> HashAsync(HttpContext http, MediaHasher hasher, IngestOptions options, CancellationToken ct)
    {
        var (hashes, file, _, problem) = await HashUploadAsync(http, hasher, options, ct);
        if (problem is not null) return problem;
        return TypedResults.Ok(new HashResponse(file!, hashes!.Kind, Signals(hashes), hashes.Unhashable));
    }

    private static async Task<Results<Ok<MatchResponse>, ProblemHttpResult>> MatchAsync(
        HttpContext http, MediaHasher hasher, KnownContentMatcher matcher, IngestOptions options, CancellationToken ct, string? bank = null)
    {
        if (http.Request.HasFormContentType)
        {
            var (hashes, file, _, problem) = await HashUploadAsync(http, hasher, options, ct);
            if (problem is not null) return problem;
            var set = await matcher.MatchAsync(hashes!, bank, ct);
            return TypedResults.Ok(Response(Signals(hashes!), set, file!, hashes!.Unhashable));
        }
        var (query, bad) = await JsonBody.ReadBoundAsync<SignalQuery>(http, ct);
        if (bad is not null) return bad;
        if (query?.SignalType is null || query.Hash is null)
            return Problems.ValidationFailed([new FieldError(query?.SignalType is null ? "signalType" : "hash", "is required (or send the file as multipart part 'file')")]);
        if (!KnownSignalTypes.TryCanonicalize(query.SignalType, query.Hash, out var signal, out var error))
            return Problems.ValidationFailed([new FieldError(KnownSignalTypes.Resolve(query.SignalType) is null ? "signalType" : "hash", error)]);
        var matches = await matcher.MatchSignalAsync(signal!, bank, ct);
        return TypedResults.Ok(Response([new HashedSignal(signal!.SignalType, signal.Payload is { } p ? KnownSignalTypes.VpdqOneLine(p) : signal.Value, signal.Quality)], matches, "query", null));
    }

    private static MatchResponse Response(IReadOnlyList<HashedSignal> query, MatchSet set, string subject, string? unhashable) =>
        new(query, set.Matches.Select(m => View(m, subject)).ToList(), set.Suppressed.Select(m => View(m, subject)).ToList(), unhashable);

    internal static MatchView View(KnownMatch m, string subject) => new(m.Bank, m.SafeBank, m.EntryId, m.SignalType, m.Distance, m.Labels,
        m.Entity, m.Source, m.Threshold, m.QueryMatchPercent, m.ReferenceMatchPercent, m.Describe(subject), m.MatchedBy, MatchDetails.Of(m)?.Segments);

    internal static List<HashedSignal> Signals(MediaHashes h)
    {
        List<HashedSignal> list = [new("sha256", h.Sha256, null), new("md5", h.Md5, null)];
        if (h.Pdq is { } pdq) list.Add(new("pdq", pdq.Hash.ToString(), pdq.Quality));
        if (h.Dihedral is { } d)
            foreach (var v in Enum.GetValues<PdqDihedral>().Skip(1)) list.Add(new($"pdq.{v.ToString().ToLowerInvariant()}", d[v].ToString(), d.Quality));
        if (h.Vpdq is { } frames && frames.Count > 0)
        {
            var signal = KnownSignalTypes.VpdqSignal(frames);
            list.Add(new("vpdq", KnownSignalTypes.VpdqOneLine(signal.Payload!), signal.Quality));
            if (h.VpdqRegions.Count > 0)
                list.Add(new("vpdq.regions", KnownSignalTypes.VpdqOneLine(VpdqRegionFormat.ToText(h.VpdqRegions)), null));
            // Plain vPDQ of the frames with their black bars, as other tools hash them; only when bars were trimmed.
            if (h.VpdqUntrimmed.Count > 0)
                list.Add(new("vpdq.untrimmed", KnownSignalTypes.VpdqOneLine(VpdqFormat.ToText(h.VpdqUntrimmed)), null));
        }
        return list;
    }

    /// <summary>
    /// Streams the multipart part 'file' to a temporary file (never through the framework's form buffering, which stops at
    /// 128 MiB), hashes it and deletes it: on success, on every refusal, and when the client goes away. Text fields are
    /// returned in <c>Fields</c>. Over the file type's limit is a 413 naming the limit; unhashable media is a 422 naming the file.
    /// </summary>
    internal static async Task<(MediaHashes? Hashes, string? File, IReadOnlyDictionary<string, List<string>> Fields, ProblemHttpResult? Problem)> HashUploadAsync(
        HttpContext http, MediaHasher hasher, IngestOptions options, CancellationToken ct, bool requireHashable = true)
    {
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!http.Request.HasFormContentType)
            return (null, null, fields, Problems.Make(415, Problems.UnsupportedMediaType, "A multipart upload is required.", "Send the file as multipart/form-data part 'file'."));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = options.MaxVideoBytes + (1 << 20);
        var temp = Path.Combine(options.UploadTempPath is { Length: > 0 } dir ? dir : Path.GetTempPath(), $"bulwark-upload-{Guid.NewGuid():N}");
        try
        {
            var upload = await MultipartUpload.ReceiveAsync(http.Request, temp, options, fields, ct);
            if (upload.Problem is not null) return (null, null, fields, upload.Problem);
            var name = upload.FileName!;
            var mime = upload.ContentType is "application/octet-stream" or "" ? null : upload.ContentType;
            var hashes = await hasher.HashFileAsync(temp, mime, dihedral: http.Request.Query["dihedral"] == "true", ct, displayName: name);
            if (requireHashable && hashes.Unhashable is { } message)
            {
                return hashes.VideoUnavailable
                    ? (null, null, fields, Problems.Make(503, Problems.Unavailable, "Video hashing is unavailable.", message))
                    : (null, null, fields, Problems.Make(422, Problems.Validation, "The file cannot be hashed.", message,
                        new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["file"] = [message] } }));
            }
            return (hashes, name, fields, null);
        }
        finally { File.Delete(temp); }
    }
}
