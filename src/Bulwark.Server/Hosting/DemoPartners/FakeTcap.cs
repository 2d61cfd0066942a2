using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bulwark.Server.Hosting.DemoPartners;

/// <summary>
/// A FAKE TCAP (Tech Against Terrorism) that answers as TCAP's public API documentation describes it (docs/exchanges.md
/// lists each fact and its source), on one loopback host:
/// <list type="bullet">
/// <item><c>POST /token-auth/tcap/</c> <c>{username, password}</c> → <c>{token, user}</c>; every other route needs
/// <c>Authorization: Bearer</c>. <see cref="ExpireTokens"/> makes every issued token answer 403 "Token has expired. Please refresh."</item>
/// <item><c>GET /hash-list/v2/all?ideology=&amp;limit=&amp;order=asc&amp;after=</c> → <c>{count, next, previous, checkpoint,
/// results:[{id, hash_digest, algorithm, ideology, file_type, deleted, updated_on}]}</c> in (updated_on, id) order, records
/// after the <c>after</c> checkpoint (<c>{updated_on},{id}</c> of the last record served); a deleted record comes again
/// with <c>deleted: true</c> and a newer <c>updated_on</c>.</item>
/// <item><c>GET /hash-list/v2/feedback/categories</c> → <c>{count, next, previous, results:[{id, name, description}]}</c>,
/// the two categories the documentation names, <see cref="CategoryPageSize"/> a page so that paging is exercised;
/// <c>POST /hash-list/v2/feedback</c> records one hash's feedback by category id.</item>
/// <item><c>GET /integrations/tech_platform_api/content_alert</c> → Django-style pages (<c>next</c> URL) of
/// <c>{id, url, terrorist_group{name, description}, created_on, url_status, pii_flag, extreme_content_flag}</c>.</item>
/// </list>
/// Where the documentation is silent (the refusal bodies, the feedback body's field names) the fake answers as the adapter
/// assumes, and says so here: those are not facts about TCAP.
/// </summary>
public sealed class FakeTcap
{
    public const string Username = "fictional-platform-moderation";
    public const string Password = "tcap-test-password|secret";
    /// <summary>Unix seconds of the first record's <c>updated_on</c> (2026-01-01); each change is one second later.</summary>
    private const long Epoch = 1_767_225_600;

    public sealed record Record(long Id, string Algorithm, string Digest, string Ideology, string FileType, bool Deleted, long Updated);
    public sealed record AlertItem(long Id, string Url, string Group, string? Tier = null, string UrlStatus = "ACT");
    public static readonly IReadOnlyList<(long Id, string Name, string Description)> Categories =
        [(1, "FALSE_POSITIVE", "Bad hash quality or Non TVEC"), (2, "INCLUSION", "Why is this included ?")];

    private readonly Dictionary<long, Record> _records = [];
    private long _clock;
    private readonly ConcurrentDictionary<string, bool> _tokens = new(StringComparer.Ordinal); // token → expired
    private int _logins;

    public List<AlertItem> Alerts { get; } = [];
    public int AlertPageSize { get; set; } = 2;
    /// <summary>Answer the alerts' <c>next</c> on this origin instead of the fake's own (a page that would lead the token elsewhere).</summary>
    public string? AlertsNextOrigin { get; set; }
    public int CategoryPageSize { get; set; } = 1;
    /// <summary>Answer every hash page with this checkpoint and a <c>next</c> (a partner stuck on one checkpoint).</summary>
    public string? StuckCheckpoint { get; set; }
    public FakeServer Server { get; private set; } = null!;
    /// <summary>Feedback received: the hash record's id and the category's name.</summary>
    public ConcurrentQueue<(string Id, string Category)> Feedback { get; } = new();
    /// <summary>How long each feedback request takes to answer (a slow partner, so that two senders overlap).</summary>
    public TimeSpan FeedbackDelay { get; set; } = TimeSpan.Zero;
    public int Logins => Volatile.Read(ref _logins);
    /// <summary>The <c>tech_platform</c> filters alerts were asked with.</summary>
    public ConcurrentQueue<string> TechPlatforms { get; } = new();

    public static async Task<FakeTcap> StartAsync()
    {
        var fake = new FakeTcap();
        fake.Server = await FakeServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>Adds (or replaces) a hash record; it becomes the newest change.</summary>
    public void Add(long id, string algorithm, string digest, string ideology = "far-right", string fileType = "image")
    {
        lock (_records) _records[id] = new Record(id, algorithm, digest, ideology, fileType, false, Epoch + ++_clock);
    }

    /// <summary>Marks a record deleted (a record the fake never had is listed as deleted all the same: an unknown delete).</summary>
    public void Delete(long id)
    {
        lock (_records)
            _records[id] = _records.TryGetValue(id, out var r) ? r with { Deleted = true, Updated = Epoch + ++_clock } : new Record(id, "MD5", new string('0', 32), "far-right", "image", true, Epoch + ++_clock);
    }

    /// <summary>Every token issued so far answers 403 "Token has expired" from now on.</summary>
    public void ExpireTokens()
    {
        foreach (var t in _tokens.Keys) _tokens[t] = true;
    }

    private static Task Json(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(body.ToJsonString());
    }

    private async Task HandleAsync(HttpContext http, string body)
    {
        var path = http.Request.Path.Value!;
        if (http.Request.Method == "POST" && path == "/token-auth/tcap/") { await LogInAsync(http, body); return; }
        var auth = http.Request.Headers.Authorization.ToString();
        var token = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : "";
        if (!_tokens.TryGetValue(token, out var expired)) { await Json(http, 401, new JsonObject { ["detail"] = "Authentication credentials were not provided." }); return; }
        if (expired) { await Json(http, 403, new JsonObject { ["detail"] = "Token has expired. Please refresh." }); return; }
        switch (http.Request.Method, path)
        {
            case ("GET", "/hash-list/v2/all"): await HashListAsync(http); return;
            case ("GET", "/hash-list/v2/feedback/categories"): await CategoriesAsync(http); return;
            case ("POST", "/hash-list/v2/feedback"): await FeedbackAsync(http, body); return;
            case ("GET", "/integrations/tech_platform_api/content_alert"): await AlertsAsync(http); return;
            default: await Json(http, 404, new JsonObject { ["detail"] = "Not found." }); return;
        }
    }

    private async Task LogInAsync(HttpContext http, string body)
    {
        string? user = null, password = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            user = doc.RootElement.TryGetProperty("username", out var u) ? u.GetString() : null;
            password = doc.RootElement.TryGetProperty("password", out var p) ? p.GetString() : null;
        }
        catch (JsonException) { }
        if (user != Username || password != Password)
        {
            await Json(http, 400, new JsonObject { ["non_field_errors"] = new JsonArray("Unable to log in with provided credentials.") });
            return;
        }
        var token = $"fake-tcap-jwt-{Interlocked.Increment(ref _logins)}-{Guid.NewGuid():N}";
        _tokens[token] = false;
        await Json(http, 200, new JsonObject { ["token"] = token, ["user"] = new JsonObject { ["username"] = Username, ["email"] = "moderation@platform.example" } });
    }

    private static int Int(HttpContext http, string name, int fallback) =>
        int.TryParse(http.Request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    private async Task HashListAsync(HttpContext http)
    {
        var ideology = http.Request.Query["ideology"].ToString();
        if (ideology is not ("islamist" or "far-right" or "all")) { await Json(http, 400, new JsonObject { ["ideology"] = new JsonArray("Select a valid choice.") }); return; }
        var limit = Math.Clamp(Int(http, "limit", 1000), 1, 10_000);
        var after = http.Request.Query["after"].ToString();
        (long Time, long Id) from = (long.MinValue, long.MinValue);
        if (after.Length > 0)
        {
            var parts = after.Split(',');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var t) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var i))
            { await Json(http, 400, new JsonObject { ["after"] = new JsonArray("Expected '{UTC},{id}'.") }); return; }
            from = (t, i);
        }
        List<Record> all;
        lock (_records)
            all = _records.Values.Where(r => (ideology == "all" || r.Ideology == ideology) && (r.Updated > from.Time || (r.Updated == from.Time && r.Id > from.Id)))
                .OrderBy(r => r.Updated).ThenBy(r => r.Id).ToList();
        var page = all.Take(limit).ToList();
        var more = StuckCheckpoint is not null || all.Count > limit;
        await Json(http, 200, new JsonObject
        {
            ["count"] = all.Count,
            ["next"] = more ? $"{Server.Url}/hash-list/v2/all?ideology={Uri.EscapeDataString(ideology)}&limit={limit}&offset={limit}" : null,
            ["previous"] = null,
            ["checkpoint"] = StuckCheckpoint ?? (page.Count > 0 ? $"{page[^1].Updated},{page[^1].Id}" : after.Length > 0 ? after : null),
            ["results"] = new JsonArray(page.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id, ["hash_digest"] = r.Digest, ["algorithm"] = r.Algorithm, ["ideology"] = r.Ideology, ["file_type"] = r.FileType,
                ["deleted"] = r.Deleted, ["updated_on"] = (double)r.Updated,
            }).ToArray()),
        });
    }

    private async Task CategoriesAsync(HttpContext http)
    {
        var offset = Int(http, "offset", 0);
        var limit = Math.Min(Math.Clamp(Int(http, "limit", 20), 1, 100), CategoryPageSize);
        var page = Categories.Skip(offset).Take(limit).ToList();
        await Json(http, 200, new JsonObject
        {
            ["count"] = Categories.Count,
            ["next"] = offset + limit < Categories.Count ? $"{Server.Url}/hash-list/v2/feedback/categories?limit={limit}&offset={offset + limit}" : null,
            ["previous"] = offset > 0 ? $"{Server.Url}/hash-list/v2/feedback/categories?limit={limit}&offset={Math.Max(0, offset - limit)}" : null,
            ["results"] = new JsonArray(page.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["name"] = c.Name, ["description"] = c.Description }).ToArray()),
        });
    }

    private async Task FeedbackAsync(HttpContext http, string body)
    {
        long hash, category;
        try
        {
            using var doc = JsonDocument.Parse(body);
            hash = doc.RootElement.GetProperty("hash_id").GetInt64();
            category = doc.RootElement.GetProperty("category_id").GetInt64();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            await Json(http, 400, new JsonObject { ["detail"] = "hash_id and category_id are required." });
            return;
        }
        if (Categories.All(c => c.Id != category)) { await Json(http, 400, new JsonObject { ["category_id"] = new JsonArray($"Invalid pk \"{category}\" - object does not exist.") }); return; }
        bool known;
        lock (_records) known = _records.ContainsKey(hash);
        if (!known) { await Json(http, 404, new JsonObject { ["detail"] = "Not found." }); return; }
        if (FeedbackDelay > TimeSpan.Zero) await Task.Delay(FeedbackDelay, http.RequestAborted);
        Feedback.Enqueue((hash.ToString(CultureInfo.InvariantCulture), Categories.Single(c => c.Id == category).Name));
        await Json(http, 201, new JsonObject { ["hash_id"] = hash, ["category_id"] = category });
    }

    private async Task AlertsAsync(HttpContext http)
    {
        var platform = http.Request.Query["tech_platform"].ToString();
        if (platform.Length > 0) TechPlatforms.Enqueue(platform);
        var offset = Int(http, "offset", 0);
        List<AlertItem> all;
        lock (Alerts) all = Alerts.OrderBy(a => a.Id).ToList();
        var page = all.Skip(offset).Take(AlertPageSize).ToList();
        await Json(http, 200, new JsonObject
        {
            ["count"] = all.Count,
            ["next"] = offset + AlertPageSize < all.Count ? $"{AlertsNextOrigin ?? Server.Url}/integrations/tech_platform_api/content_alert?limit={AlertPageSize}&offset={offset + AlertPageSize}"
                + (platform.Length > 0 ? $"&tech_platform={Uri.EscapeDataString(platform)}" : "") : null,
            ["previous"] = null,
            ["results"] = new JsonArray(page.Select(a =>
            {
                var o = new JsonObject
                {
                    ["id"] = a.Id, ["url"] = a.Url,
                    ["terrorist_group"] = new JsonObject { ["name"] = a.Group, ["description"] = "An invented group for tests (not a real organisation)." },
                    ["created_on"] = "2026-01-15T08:00:00Z", ["url_status"] = a.UrlStatus, ["pii_flag"] = false, ["extreme_content_flag"] = false,
                };
                if (a.Tier is not null) o["tier"] = a.Tier;
                return (JsonNode)o;
            }).ToArray()),
        });
    }
}
