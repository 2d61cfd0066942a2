using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Signals.KnownContent;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>
/// Meta's ThreatExchange, through the Graph API's <c>/{privacy_group}/threat_updates</c> (the documented way to copy a
/// privacy group completely, deletions included): items (indicators) with <c>id</c>, <c>indicator</c>, <c>type</c>,
/// <c>last_updated</c> (Unix seconds), <c>should_delete</c> and their <c>descriptors</c> (each with an owner, a
/// <c>status</c> and <c>tags</c>); pages linked by <c>paging.next</c>. The checkpoint is <c>since|after|taken</c>: the
/// newest <c>last_updated</c> applied, the paging cursor inside a run, and when the run began. Deletions are kept by
/// ThreatExchange only for a limited time, so a checkpoint older than <see cref="StaleAfter"/> is fetched whole again.
/// Opinions: agree and disagree are reactions on the partner's descriptors (<c>SAW_THIS_TOO</c>, <c>DISAGREE_WITH_TAGS</c>);
/// a false positive is a descriptor of our own with status <c>NON_MALICIOUS</c> in the privacy group.
/// </summary>
public sealed class ThreatExchangeExchange : ISignalExchange
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(85);
    public const string Fields = "id,indicator,type,last_updated,should_delete,descriptors{id,owner,status,tags}";

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HASH_PDQ"] = KnownSignalTypes.Pdq, ["HASH_MD5"] = KnownSignalTypes.Md5, ["HASH_VIDEO_MD5"] = KnownSignalTypes.Md5,
        ["HASH_PHOTO_MD5"] = KnownSignalTypes.Md5, ["HASH_SHA256"] = KnownSignalTypes.Sha256, ["URI"] = KnownSignalTypes.Url,
    };

    public string Kind => ExchangeKinds.ThreatExchange;

    public bool IsStale(string checkpoint, DateTimeOffset now) =>
        Parse(checkpoint) is { Taken: var taken } && now - DateTimeOffset.FromUnixTimeSeconds(taken) > StaleAfter;

    private sealed record Checkpoint(long Since, string? After, long Taken)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Since}|{After}|{Taken}");
    }

    private static Checkpoint? Parse(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var since) || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var taken))
            throw new ExchangeFetchException($"stored checkpoint '{text}' is not a ThreatExchange checkpoint (since|after|taken)", retryable: false);
        return new Checkpoint(since, parts[1].Length == 0 ? null : parts[1], taken);
    }

    public async Task<ExchangePage> FetchAsync(ExchangeCall call, string? checkpoint, CancellationToken ct)
    {
        var p = call.Partner;
        var now = call.Clock.GetUtcNow().ToUnixTimeSeconds();
        var cp = Parse(checkpoint) ?? new Checkpoint(0, null, now);
        var url = $"{p.Url.TrimEnd('/')}/{p.ApiVersion}/{Uri.EscapeDataString(p.PrivacyGroup!)}/threat_updates?fields={Uri.EscapeDataString(Fields)}&limit=500"
            + (cp.Since > 0 ? $"&since={cp.Since}" : "") + (cp.After is null ? "" : $"&after={Uri.EscapeDataString(cp.After)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // The Graph API takes the token as a parameter or a bearer header; the header keeps it out of URLs and logs.
        if (p.Token is { Length: > 0 } token) request.Headers.Authorization = new("Bearer", token);
        const string what = "ThreatExchange threat_updates";
        using var doc = await ExchangeHttp.GetJsonAsync(call.Http, request, what, ct);
        var root = doc.RootElement;
        var deltas = new List<ExchangeDelta>();
        var newest = cp.Since;
        foreach (var item in ExchangeHttp.Array(root, "data", what))
        {
            var id = ExchangeHttp.Str(item, "id", what);
            var updated = ExchangeHttp.OptStr(item, "last_updated") is { } lu && long.TryParse(lu, CultureInfo.InvariantCulture, out var t) ? t
                : throw new ExchangeFetchException($"malformed page from {what}: item {id} has no numeric last_updated");
            newest = Math.Max(newest, updated);
            if (ExchangeHttp.OptBool(item, "should_delete")) { deltas.Add(new ExchangeDelta(id, DeltaKind.Delete, [], [])); continue; }
            var type = ExchangeHttp.Str(item, "type", what);
            var indicator = ExchangeHttp.Str(item, "indicator", what);
            var tags = new List<string>();
            var refs = new List<string>();
            var statuses = new List<string>();
            if (item.TryGetProperty("descriptors", out var ds) && ds.ValueKind == JsonValueKind.Object && ds.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var d in list.EnumerateArray())
                {
                    if (ExchangeHttp.OptStr(d, "id") is { } did) refs.Add(did);
                    statuses.Add((ExchangeHttp.OptStr(d, "status") ?? "UNKNOWN").ToUpperInvariant());
                    if (d.TryGetProperty("tags", out var tg) && tg.ValueKind == JsonValueKind.Array)
                        tags.AddRange(tg.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
                }
            // Every member who described it says it is not malicious: kept, but disabled.
            var disputed = statuses.Count > 0 && statuses.All(s => s == "NON_MALICIOUS");
            var labels = tags.Distinct().ToList();
            if (statuses.Contains("NON_MALICIOUS") && !disputed) labels.Add("te:disputed");
            if (!Types.TryGetValue(type, out var signalType))
                deltas.Add(new ExchangeDelta(id, DeltaKind.Upsert, [], labels, Skipped: [$"type {type} is not one Bulwark matches"], References: refs));
            else
                deltas.Add(new ExchangeDelta(id, DeltaKind.Upsert, [new ExchangeSignal(signalType, indicator)], labels, Disputed: disputed, References: refs));
        }
        string? after = null;
        if (root.TryGetProperty("paging", out var paging) && paging.ValueKind == JsonValueKind.Object && paging.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String)
        {
            after = paging.TryGetProperty("cursors", out var cursors) && cursors.ValueKind == JsonValueKind.Object ? ExchangeHttp.OptStr(cursors, "after") : null;
            if (after is null) throw new ExchangeFetchException($"malformed page from {what}: paging.next without paging.cursors.after");
        }
        // Inside a run the cursor moves and 'since' stays; at the end 'since' becomes the newest update applied and 'taken'
        // the time of this complete poll (what deletions' retention is measured against).
        var nextCp = after is null ? new Checkpoint(newest, null, now) : cp with { After = after };
        return new ExchangePage(deltas, nextCp.ToString(), More: after is not null);
    }

    public async Task<IReadOnlyList<OpinionResult>> SendOpinionsAsync(ExchangeCall call, IReadOnlyList<OpinionToSend> opinions, CancellationToken ct)
    {
        var p = call.Partner;
        var results = new List<OpinionResult>();
        var root = $"{p.Url.TrimEnd('/')}/{p.ApiVersion}";
        foreach (var o in opinions)
        {
            try
            {
                if (o.Opinion == Opinions.FalsePositive)
                {
                    var teType = Types.FirstOrDefault(kv => kv.Value == o.SignalType).Key ?? throw new ExchangeFetchException($"no ThreatExchange type for {o.SignalType}", false);
                    await PostAsync(call, $"{root}/threat_descriptors", new Dictionary<string, string>
                    {
                        ["indicator"] = o.Value ?? "", ["type"] = teType, ["status"] = "NON_MALICIOUS", ["privacy_type"] = "HAS_PRIVACY_GROUP",
                        ["privacy_members"] = p.PrivacyGroup!, ["share_level"] = "AMBER", ["description"] = "False positive found by a human reviewer (Bulwark)",
                    }, ct);
                }
                else
                {
                    if (o.References.Count == 0) throw new ExchangeFetchException("the item has no descriptor to react to", false);
                    var reaction = o.Opinion == Opinions.Agree ? "SAW_THIS_TOO" : "DISAGREE_WITH_TAGS";
                    foreach (var descriptor in o.References)
                        await PostAsync(call, $"{root}/{Uri.EscapeDataString(descriptor)}/reactions", new Dictionary<string, string> { ["reactions"] = reaction }, ct);
                }
                results.Add(new OpinionResult(o.FeedbackId, true));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                results.Add(ExchangeHttp.Failure(o.FeedbackId, ex));
            }
        }
        return results;
    }

    private static async Task PostAsync(ExchangeCall call, string url, Dictionary<string, string> form, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (call.Partner.Token is { Length: > 0 } token) request.Headers.Authorization = new("Bearer", token);
        await ExchangeHttp.PostAsync(call.Http, request, "ThreatExchange", ct);
    }
}
