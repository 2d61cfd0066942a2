using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Signals.KnownContent;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>
/// Tech Against Terrorism's Terrorist Content Analytics Platform, as its public documentation describes it
/// (docs.terrorismanalytics.org, "API services") and python-threatexchange's TCAP client reads it; docs/exchanges.md lists
/// each fact with its source and says where Bulwark had to assume.
/// <list type="bullet">
/// <item>Log-in: <c>POST {Url}/token-auth/tcap/</c> with <c>{username, password}</c> answers <c>{token, user}</c>; the token
/// is sent as a bearer header and kept until TCAP refuses it (401/403, e.g. "Token has expired"), then Bulwark logs in
/// again once and repeats the request.</item>
/// <item>Hash list: <c>GET {HashListUrl}/all?ideology=&amp;limit=&amp;order=asc&amp;after=</c> answers
/// <c>{count, next, previous, checkpoint, results:[{id, hash_digest, algorithm, ideology, file_type, deleted, updated_on}]}</c>;
/// <c>checkpoint</c> (the last record's time and id) is the next <c>after</c>, and a non-null <c>next</c> means more.</item>
/// <item>Alerts: the Submissions API, <c>GET {Url}/integrations/tech_platform_api/content_alert</c>, paged by the <c>next</c>
/// URL. It documents no checkpoint, so each run reads it from the first page and each alert is kept once by its id.</item>
/// <item>Feedback: categories read once from <c>{HashListUrl}/feedback/categories</c> (paged by <c>next</c>); one POST per
/// hash with the category's id.</item>
/// </list>
/// The stored checkpoint is <c>after:{hash checkpoint}|alerts:{next alerts page URL}</c>.
/// </summary>
public sealed class TcapExchange : ISignalExchange
{
    public string Kind => ExchangeKinds.Tcap;
    private const string What = "TCAP";
    private const string HashPrefix = "after:";
    private const string AlertPrefix = "|alerts:";
    /// <summary>Field names of the feedback request body: TCAP's excerpts read did not show them (docs/exchanges.md).</summary>
    public const string FeedbackHashField = "hash_id", FeedbackCategoryField = "category_id";

    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, long>> _categories = new(StringComparer.Ordinal);

    /// <summary>
    /// A checkpoint written by the first adapter (the assumed <c>h:…|a:…</c> shape) means nothing to TCAP: the list is read
    /// again from the start and what it no longer lists is withdrawn, as for any stale checkpoint.
    /// </summary>
    public bool IsStale(string checkpoint, DateTimeOffset now) => !checkpoint.StartsWith(HashPrefix, StringComparison.Ordinal);

    private static (string? After, string? AlertsNext) Parse(string? checkpoint)
    {
        if (checkpoint is null) return (null, null);
        var cut = checkpoint.IndexOf(AlertPrefix, StringComparison.Ordinal);
        if (!checkpoint.StartsWith(HashPrefix, StringComparison.Ordinal) || cut < 0)
            throw new ExchangeFetchException($"stored checkpoint '{checkpoint}' is not a TCAP checkpoint (after:…|alerts:…)", retryable: false);
        var after = checkpoint[HashPrefix.Length..cut];
        var next = checkpoint[(cut + AlertPrefix.Length)..];
        return (after.Length > 0 ? after : null, next.Length > 0 ? next : null);
    }

    public async Task<ExchangePage> FetchAsync(ExchangeCall call, string? checkpoint, CancellationToken ct)
    {
        var p = call.Partner;
        var (after, alertsNext) = Parse(checkpoint);
        var url = $"{TcapSettings.HashListRoot(p)}/all?ideology={Uri.EscapeDataString(p.Ideology)}&limit={p.PageLimit.ToString(CultureInfo.InvariantCulture)}&order=asc"
            + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        using var doc = await GetJsonAsync(call, url, ct);
        var root = doc.RootElement;
        var deltas = new List<ExchangeDelta>();
        foreach (var r in ExchangeHttp.Array(root, "results", What)) deltas.Add(Record(p, r));
        var nextAfter = ExchangeHttp.OptStr(root, "checkpoint") ?? after;
        if (nextAfter is { Length: > 1000 }) throw new ExchangeFetchException($"malformed page from {What}: checkpoint is longer than 1000 characters");
        if (nextAfter is not null && nextAfter.Contains('|', StringComparison.Ordinal)) throw new ExchangeFetchException($"malformed page from {What}: checkpoint contains '|'");
        var moreHashes = ExchangeHttp.OptStr(root, "next") is { Length: > 0 };

        var alerts = new List<ExchangeAlert>();
        string? nextAlerts = null;
        if (p.Alerts)
        {
            var alertsUrl = alertsNext ?? $"{p.Url.TrimEnd('/')}/integrations/tech_platform_api/content_alert"
                + (string.IsNullOrWhiteSpace(p.TechPlatform) ? "" : $"?tech_platform={Uri.EscapeDataString(p.TechPlatform)}");
            using var page = await GetJsonAsync(call, alertsUrl, ct);
            foreach (var a in ExchangeHttp.Array(page.RootElement, "results", What)) alerts.Add(Alert(p, a));
            nextAlerts = ExchangeHttp.OptStr(page.RootElement, "next") is { Length: > 0 } n ? SameOrigin(n, p.Url, "next") : null;
            if (nextAlerts is not null && nextAlerts.Contains('|', StringComparison.Ordinal)) throw new ExchangeFetchException($"malformed page from {What}: the alerts' next URL contains '|'");
        }
        return new ExchangePage(deltas, $"{HashPrefix}{nextAfter}{AlertPrefix}{nextAlerts}", moreHashes || nextAlerts is not null, alerts);
    }

    /// <summary>One hash record: one hash (<c>hash_digest</c>) of one algorithm; <c>deleted</c> withdraws it.</summary>
    private static ExchangeDelta Record(ExchangePartnerOptions p, JsonElement r)
    {
        var id = ExchangeHttp.Str(r, "id", What);
        if (ExchangeHttp.OptBool(r, "deleted")) return new ExchangeDelta(id, DeltaKind.Delete, [], []);
        var ideology = ExchangeHttp.OptStr(r, "ideology");
        var labels = new List<string> { "partner:tcap" };
        if (ideology is { Length: > 0 }) labels.Add($"ideology:{ideology}");
        if (ExchangeHttp.OptStr(r, "file_type") is { Length: > 0 } fileType) labels.Add($"file-type:{fileType}");
        // Filtered here as well as asked of TCAP: an answer that ignores the filter still keeps only what was chosen.
        if (p.Ideology != "all" && ideology is not null && !string.Equals(ideology, p.Ideology, StringComparison.OrdinalIgnoreCase))
            return new ExchangeDelta(id, DeltaKind.Upsert, [], labels, Skipped: [$"ideology '{ideology}' is not followed"], References: [id]);
        var digest = ExchangeHttp.OptStr(r, "hash_digest");
        var algorithm = ExchangeHttp.OptStr(r, "algorithm");
        if (digest is not { Length: > 0 } || algorithm is not { Length: > 0 })
            throw new ExchangeFetchException($"malformed page from {What}: record {id} carries no hash_digest or algorithm");
        var type = algorithm.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) switch
        {
            "md5" => KnownSignalTypes.Md5,
            "sha256" => KnownSignalTypes.Sha256,
            "pdq" => KnownSignalTypes.Pdq,
            _ => null,
        };
        if (type is null)
        {
            var why = algorithm.Equals("sha512", StringComparison.OrdinalIgnoreCase) || algorithm.Equals("sha-512", StringComparison.OrdinalIgnoreCase)
                ? "sha512 kept out of the bank: Bulwark does not hash media with SHA-512"
                : $"algorithm '{algorithm}' is not one Bulwark matches";
            return new ExchangeDelta(id, DeltaKind.Upsert, [], labels, Skipped: [why], References: [id]);
        }
        return new ExchangeDelta(id, DeltaKind.Upsert, [new ExchangeSignal(type, digest)], labels, References: [id]);
    }

    /// <summary>
    /// One content alert. TCAP documents no tier field: the tier comes from <see cref="ExchangePartnerOptions.AlertTiers"/> by
    /// the group's name, else <see cref="ExchangePartnerOptions.DefaultAlertTier"/>; an alert that does carry a known
    /// <c>tier</c> keeps it.
    /// </summary>
    private static ExchangeAlert Alert(ExchangePartnerOptions p, JsonElement a)
    {
        var id = ExchangeHttp.Str(a, "id", What);
        var url = ExchangeHttp.Str(a, "url", What);
        string? group = null;
        if (a.TryGetProperty("terrorist_group", out var g))
            group = g.ValueKind == JsonValueKind.Object ? ExchangeHttp.OptStr(g, "name") : g.ValueKind == JsonValueKind.String ? g.GetString() : null;
        var own = ExchangeHttp.OptStr(a, "tier")?.ToLowerInvariant().Replace('_', '-');
        var tier = own is not null && AlertTiers.All.Contains(own) ? own
            : group is not null && p.AlertTiers.TryGetValue(group, out var configured) ? configured
            : p.DefaultAlertTier;
        var created = ExchangeHttp.OptStr(a, "created_on") is { } c && DateTimeOffset.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        return new ExchangeAlert(id, url, group, tier, created);
    }

    public async Task<IReadOnlyList<OpinionResult>> SendOpinionsAsync(ExchangeCall call, IReadOnlyList<OpinionToSend> opinions, CancellationToken ct)
    {
        IReadOnlyDictionary<string, long> categories;
        try { categories = await CategoriesAsync(call, ct); }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return opinions.Select(o => ExchangeHttp.Failure(o.FeedbackId, ex)).ToList();
        }
        var root = TcapSettings.HashListRoot(call.Partner);
        var results = new List<OpinionResult>();
        foreach (var o in opinions)
        {
            var name = TcapSettings.CategoryFor(call.Partner, o.Opinion);
            if (name is null || !categories.TryGetValue(name, out var categoryId))
            {
                var listed = string.Join(", ", categories.Keys.Order(StringComparer.Ordinal));
                results.Add(new OpinionResult(o.FeedbackId, false, name is null
                    ? $"not sent: TCAP has no feedback category for '{o.Opinion}'; to send it, map FeedbackCategories:{o.Opinion} to one of TCAP's categories ({listed})"
                    : $"not sent: TCAP lists no feedback category named '{name}' (it lists {listed})", Retryable: false));
                continue;
            }
            try
            {
                var body = new Dictionary<string, object>
                {
                    [FeedbackHashField] = long.TryParse(o.ItemId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) ? numeric : o.ItemId,
                    [FeedbackCategoryField] = categoryId,
                };
                await SendAsync(call, () => new HttpRequestMessage(HttpMethod.Post, $"{root}/feedback") { Content = JsonContent.Create(body) }, ct);
                results.Add(new OpinionResult(o.FeedbackId, true));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                results.Add(ExchangeHttp.Failure(o.FeedbackId, ex));
            }
        }
        return results;
    }

    /// <summary>TCAP's feedback categories by name, read once per partner (all pages, following <c>next</c>).</summary>
    private async Task<IReadOnlyDictionary<string, long>> CategoriesAsync(ExchangeCall call, CancellationToken ct)
    {
        var p = call.Partner;
        var key = $"{p.Name}\n{TcapSettings.HashListRoot(p)}";
        if (_categories.TryGetValue(key, out var known)) return known;
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        string? url = $"{TcapSettings.HashListRoot(p)}/feedback/categories?limit=100";
        for (var page = 0; url is not null; page++)
        {
            if (page == 100) throw new ExchangeFetchException($"{What} listed more than 100 pages of feedback categories");
            using var doc = await GetJsonAsync(call, url, ct);
            foreach (var c in ExchangeHttp.Array(doc.RootElement, "results", What))
            {
                var id = ExchangeHttp.Str(c, "id", What);
                if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) throw new ExchangeFetchException($"malformed page from {What}: feedback category id '{id}' is not a number");
                found[ExchangeHttp.Str(c, "name", What)] = n;
            }
            url = ExchangeHttp.OptStr(doc.RootElement, "next") is { Length: > 0 } next ? SameOrigin(next, TcapSettings.HashListRoot(p), "next") : null;
        }
        _categories[key] = found;
        return found;
    }

    /// <summary>A <c>next</c> URL must stay on the host it came from: the bearer token goes with it.</summary>
    private static string SameOrigin(string next, string root, string field)
    {
        var r = new Uri(root, UriKind.Absolute);
        if (!Uri.TryCreate(next, UriKind.Absolute, out var n) || Uri.Compare(n, r, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) != 0)
            throw new ExchangeFetchException($"malformed page from {What}: '{field}' points away from {r.GetLeftPart(UriPartial.Authority)}; not followed (the token would go with it)", retryable: false);
        return next;
    }

    private async Task<JsonDocument> GetJsonAsync(ExchangeCall call, string url, CancellationToken ct)
    {
        var body = await SendAsync(call, () => new HttpRequestMessage(HttpMethod.Get, url), ct);
        try { return JsonDocument.Parse(body); }
        catch (JsonException ex) { throw new ExchangeFetchException($"malformed page from {What}: not JSON ({ex.Message})"); }
    }

    /// <summary>
    /// Sends with the partner's token, logging in first when there is none. A 401 or 403 to a token from an earlier log-in
    /// (TCAP: "Token has expired. Please refresh.") logs in again once and repeats the request; refused again, it fails.
    /// </summary>
    private async Task<byte[]> SendAsync(ExchangeCall call, Func<HttpRequestMessage> make, CancellationToken ct)
    {
        var key = TokenKey(call.Partner);
        var fresh = false;
        if (!_tokens.TryGetValue(key, out var token)) { token = await LogInAsync(call, ct); fresh = true; }
        while (true)
        {
            using var request = make();
            request.Headers.Authorization = new("Bearer", token);
            using var response = await call.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if ((int)response.StatusCode is 401 or 403)
            {
                _tokens.TryRemove(new KeyValuePair<string, string>(key, token));
                if (!fresh) { token = await LogInAsync(call, ct); fresh = true; continue; }
                throw new ExchangeFetchException($"{What} refused a token it had just issued (HTTP {(int)response.StatusCode}): check that the account may use this service", retryable: false);
            }
            ExchangeHttp.Ensure(response, body, What);
            return body;
        }
    }

    private static string TokenKey(ExchangePartnerOptions p) => $"{p.Name}\n{p.Url}\n{p.Username}";

    /// <summary><c>POST {Url}/token-auth/tcap/</c>; the password goes in the body only and appears in no message.</summary>
    private async Task<string> LogInAsync(ExchangeCall call, CancellationToken ct)
    {
        var p = call.Partner;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{p.Url.TrimEnd('/')}/token-auth/tcap/")
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["username"] = p.Username ?? "", ["password"] = p.Password ?? "" }),
        };
        using var response = await call.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var status = (int)response.StatusCode;
        if (status is 400 or 401 or 403)
            throw new ExchangeFetchException($"{What} refused the log-in (HTTP {status}): check the partner's Username and Password", retryable: false);
        ExchangeHttp.Ensure(response, body, What);
        string? token;
        try
        {
            using var doc = JsonDocument.Parse(body);
            token = ExchangeHttp.OptStr(doc.RootElement, "token");
        }
        catch (JsonException) { token = null; }
        if (token is not { Length: > 0 }) throw new ExchangeFetchException($"malformed log-in answer from {What}: no 'token'");
        _tokens[TokenKey(p)] = token;
        return token;
    }
}
