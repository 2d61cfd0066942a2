using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Signals.KnownContent;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>
/// Tech Against Terrorism's Terrorist Content Analytics Platform. Its API is open to registered platforms only, so the
/// shape Bulwark reads is written down in docs/exchanges.md (and the local fake in the tests follows it): the hash list v2
/// (<c>GET {base}/api/v2/hash-list/?checkpoint=&amp;ideology=</c>) pages records <c>{id, md5, sha256, sha512, pdq,
/// ideology, group, deleted}</c> with <c>next_checkpoint</c> and <c>has_more</c>; alerts (<c>GET {base}/api/v2/alerts/</c>,
/// same paging) are URLs of content found on this platform with <c>group</c> and <c>tier</c> (threat-to-life, crisis,
/// designation); feedback is one <c>POST {base}/api/v2/hash-list/{id}/feedback/</c> per record with a <c>category</c>.
/// The checkpoint is both streams' checkpoints, <c>h:…|a:…</c>. SHA-512 is kept out of the bank (Bulwark hashes media with
/// MD5, SHA-256 and PDQ) and counted as skipped; a record of an ideology not followed withdraws what the bank had of it.
/// </summary>
public sealed class TcapExchange : ISignalExchange
{
    public string Kind => ExchangeKinds.Tcap;
    private const string What = "TCAP";

    private static (string? Hashes, string? Alerts) Parse(string? checkpoint)
    {
        if (checkpoint is null) return (null, null);
        var parts = checkpoint.Split('|');
        if (parts.Length != 2 || !parts[0].StartsWith("h:", StringComparison.Ordinal) || !parts[1].StartsWith("a:", StringComparison.Ordinal))
            throw new ExchangeFetchException($"stored checkpoint '{checkpoint}' is not a TCAP checkpoint (h:…|a:…)", retryable: false);
        return (parts[0].Length > 2 ? parts[0][2..] : null, parts[1].Length > 2 ? parts[1][2..] : null);
    }

    public async Task<ExchangePage> FetchAsync(ExchangeCall call, string? checkpoint, CancellationToken ct)
    {
        var p = call.Partner;
        var (hc, ac) = Parse(checkpoint);
        var root = p.Url.TrimEnd('/');
        var ideology = p.Ideologies.Count > 0 ? "&ideology=" + Uri.EscapeDataString(string.Join(',', p.Ideologies)) : "";
        var (hashes, nextH, moreH) = await PageAsync(call, $"{root}/api/v2/hash-list/?checkpoint={Uri.EscapeDataString(hc ?? "")}{ideology}", hc, ct);
        var deltas = new List<ExchangeDelta>();
        foreach (var r in hashes)
        {
            var id = ExchangeHttp.Str(r, "id", What);
            if (ExchangeHttp.OptBool(r, "deleted")) { deltas.Add(new ExchangeDelta(id, DeltaKind.Delete, [], [])); continue; }
            var recordIdeology = ExchangeHttp.OptStr(r, "ideology");
            var group = ExchangeHttp.OptStr(r, "group");
            var labels = new List<string> { "partner:tcap" };
            if (recordIdeology is not null) labels.Add($"ideology:{recordIdeology}");
            // Filtered here as well as asked of the API: an answer that ignores the filter still keeps only what was chosen.
            if (p.Ideologies.Count > 0 && (recordIdeology is null || !p.Ideologies.Contains(recordIdeology, StringComparer.OrdinalIgnoreCase)))
            {
                deltas.Add(new ExchangeDelta(id, DeltaKind.Upsert, [], labels, group, Skipped: [$"ideology '{recordIdeology}' is not followed"], References: [id]));
                continue;
            }
            var signals = new List<ExchangeSignal>();
            var skipped = new List<string>();
            foreach (var (field, type) in new[] { ("md5", KnownSignalTypes.Md5), ("sha256", KnownSignalTypes.Sha256), ("pdq", KnownSignalTypes.Pdq) })
                if (ExchangeHttp.OptStr(r, field) is { Length: > 0 } v) signals.Add(new ExchangeSignal(type, v));
            if (ExchangeHttp.OptStr(r, "sha512") is { Length: > 0 }) skipped.Add("sha512 kept out of the bank: Bulwark does not hash media with SHA-512");
            if (signals.Count == 0 && skipped.Count == 0) throw new ExchangeFetchException($"malformed page from {What}: record {id} carries no hash");
            deltas.Add(new ExchangeDelta(id, DeltaKind.Upsert, signals, labels, group, Skipped: skipped, References: [id]));
        }
        var alerts = new List<ExchangeAlert>();
        var nextA = ac;
        var moreA = false;
        if (p.Alerts)
        {
            (var items, nextA, moreA) = await PageAsync(call, $"{root}/api/v2/alerts/?checkpoint={Uri.EscapeDataString(ac ?? "")}", ac, ct);
            foreach (var a in items)
            {
                var tier = ExchangeHttp.Str(a, "tier", What).ToLowerInvariant().Replace('_', '-');
                if (!AlertTiers.All.Contains(tier)) throw new ExchangeFetchException($"malformed page from {What}: alert tier '{tier}' is not one of {string.Join(", ", AlertTiers.All)}");
                var found = ExchangeHttp.OptStr(a, "found_at") is { } f && DateTimeOffset.TryParse(f, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
                alerts.Add(new ExchangeAlert(ExchangeHttp.Str(a, "id", What), ExchangeHttp.Str(a, "url", What), ExchangeHttp.OptStr(a, "group"), tier, found));
            }
        }
        return new ExchangePage(deltas, $"h:{nextH}|a:{nextA}", moreH || moreA, alerts);
    }

    private static async Task<(List<JsonElement> Items, string? Next, bool More)> PageAsync(ExchangeCall call, string url, string? current, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (call.Partner.Token is { Length: > 0 } token) request.Headers.Authorization = new("Bearer", token);
        using var doc = await ExchangeHttp.GetJsonAsync(call.Http, request, What, ct);
        var root = doc.RootElement;
        var items = ExchangeHttp.Array(root, "results", What).Select(e => e.Clone()).ToList();
        var next = ExchangeHttp.OptStr(root, "next_checkpoint") ?? current;
        if (next is { Length: > 1000 }) throw new ExchangeFetchException($"malformed page from {What}: next_checkpoint is longer than 1000 characters");
        if (next is not null && next.Contains('|', StringComparison.Ordinal)) throw new ExchangeFetchException($"malformed page from {What}: next_checkpoint contains '|'");
        return (items, next, ExchangeHttp.OptBool(root, "has_more"));
    }

    public async Task<IReadOnlyList<OpinionResult>> SendOpinionsAsync(ExchangeCall call, IReadOnlyList<OpinionToSend> opinions, CancellationToken ct)
    {
        var results = new List<OpinionResult>();
        foreach (var o in opinions)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{call.Partner.Url.TrimEnd('/')}/api/v2/hash-list/{Uri.EscapeDataString(o.ItemId)}/feedback/")
                {
                    Content = JsonContent.Create(new Dictionary<string, string> { ["category"] = o.Opinion }),
                };
                if (call.Partner.Token is { Length: > 0 } token) request.Headers.Authorization = new("Bearer", token);
                await ExchangeHttp.PostAsync(call.Http, request, What, ct);
                results.Add(new OpinionResult(o.FeedbackId, true));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                results.Add(ExchangeHttp.Failure(o.FeedbackId, ex));
            }
        }
        return results;
    }
}
