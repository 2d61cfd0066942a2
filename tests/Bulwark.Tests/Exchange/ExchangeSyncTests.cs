using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Exchange;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting.DemoPartners;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.Review;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Exchange;

/// <summary>Each exchange against its local fake partner, on both databases: deltas, checkpoints, failures, feedback, flood guard.</summary>
public class ExchangeSyncTests
{
    private const string Pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private static string Md5(string s) => KnownSignalTypes.Md5Hex(s);
    private static string Sha256(string s) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));

    private static Task<CoreServices> CoreAsync(DatabaseProvider provider, string name, string kind, string url, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bulwark:Review:QaSampleRate"] = "0",
            ["Bulwark:Exchanges:WorkerEnabled"] = "false",
            ["Bulwark:Exchanges:AllowedInternal:0"] = "127.0.0.1",
            ["Bulwark:Exchanges:TimeoutSeconds"] = "2",
            ["Bulwark:Exchanges:Partners:0:Name"] = name,
            ["Bulwark:Exchanges:Partners:0:Kind"] = kind,
            ["Bulwark:Exchanges:Partners:0:Url"] = url,
            ["Bulwark:Exchanges:Partners:0:Bank"] = $"partner-{name}",
            ["Bulwark:Exchanges:Partners:0:Labels:0"] = $"partner:{name}",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return CoreServices.CreateAsync(provider, settings);
    }

    private static async Task<List<(ExchangeItemRow Item, BankEntryRow Entry)>> ItemsAsync(CoreServices core, string exchange)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var items = await db.Set<ExchangeItemRow>().AsNoTracking().Where(i => i.Exchange == exchange).OrderBy(i => i.Id).ToListAsync();
        var ids = items.Select(i => i.BankEntryId).ToList();
        var entries = await db.BankEntries.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id);
        return items.Select(i => (i, entries[i.BankEntryId])).ToList();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ThreatExchange_pages_into_its_bank_resumes_after_a_500_and_applies_deletions_once(DatabaseProvider provider)
    {
        var te = await FakeThreatExchange.StartAsync();
        await using var _ = te.Server;
        te.Indicators.AddRange([
            new("1001", "HASH_PDQ", Pdq, 100, false, Tags: ["glorification-of-terrorist-acts"]),
            new("1002", "HASH_MD5", Md5("clip-a"), 101, false),
            new("1003", "URI", "https://example.org/fictional-propaganda", 102, false),
            new("1004", "HASH_MD5", Md5("news-clip"), 103, false, Status: "NON_MALICIOUS"),
            new("1005", "HASH_TMK", "abcdef", 104, false),
        ]);
        await using var core = await CoreAsync(provider, "te", ExchangeKinds.ThreatExchange, te.Server.Url, new()
        {
            ["Bulwark:Exchanges:Partners:0:PrivacyGroup"] = "1234567890", ["Bulwark:Exchanges:Partners:0:Token"] = FakeThreatExchange.Token,
        });
        var sync = core.Get<ExchangeSyncService>();

        // The second page fails: the first stays applied with its checkpoint, nothing else.
        te.Server.Faults.Enqueue(Fault.None);
        te.Server.Faults.Enqueue(Fault.Http500);
        var failed = await sync.SyncAsync("te", "tester", default);
        Assert.Equal(FetchOutcome.Failed, failed.Fetch.Outcome);
        Assert.Contains("HTTP 500", failed.Fetch.Error);
        Assert.Equal(2, failed.Fetch.Created);
        var checkpointAfterFirst = failed.Fetch.CheckpointAfter;
        Assert.Equal(2, (await ItemsAsync(core, "te")).Count);

        var ok = await sync.SyncAsync("te", "tester", default);
        Assert.True(ok.Ok, ok.Fetch.Error);
        Assert.Equal(checkpointAfterFirst, ok.Fetch.CheckpointBefore);
        var items = await ItemsAsync(core, "te");
        Assert.Equal(4, items.Count); // the TMK indicator is not a type Bulwark matches
        Assert.Equal(1, ok.Fetch.Skipped);
        Assert.All(items, x => Assert.Equal("te", x.Entry.Source));
        Assert.Contains("partner:te", items.Single(x => x.Item.ItemId == "1001").Entry.LabelsJson);
        Assert.Contains("glorification-of-terrorist-acts", items.Single(x => x.Item.ItemId == "1001").Entry.LabelsJson);
        Assert.False(items.Single(x => x.Item.ItemId == "1004").Entry.Enabled); // every descriptor says not malicious
        Assert.True(items.Single(x => x.Item.ItemId == "1003").Entry.Enabled);
        Assert.Equal("example.org/fictional-propaganda", items.Single(x => x.Item.ItemId == "1003").Entry.Value);

        // A tombstone and a delete of an indicator never sent: one applied, one recorded.
        te.Indicators.Add(new("1002", "HASH_MD5", Md5("clip-a"), 200, true));
        te.Indicators.Add(new("9999", "HASH_MD5", Md5("never-sent"), 201, true));
        var deletes = await sync.SyncAsync("te", "tester", default);
        Assert.True(deletes.Ok, deletes.Fetch.Error);
        Assert.Equal(1, deletes.Fetch.Deleted);
        Assert.Equal(1, deletes.Fetch.UnknownDeletes);
        items = await ItemsAsync(core, "te");
        Assert.Equal(4, items.Count);
        Assert.False(items.Single(x => x.Item.ItemId == "1002").Entry.Enabled);
        Assert.True(items.Single(x => x.Item.ItemId == "1002").Item.Deleted);

        // Again: nothing new, nothing doubled.
        var again = await sync.SyncAsync("te", "tester", default);
        Assert.Equal(0, again.Fetch.Created + again.Fetch.Updated + again.Fetch.Deleted);
        Assert.Equal(4, (await ItemsAsync(core, "te")).Count);

        // The token never reaches the records.
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.DoesNotContain(await db.AuditEntries.AsNoTracking().ToListAsync(), a => (a.After ?? "").Contains("secret") || (a.Before ?? "").Contains("secret"));
        Assert.DoesNotContain(await db.Set<ExchangeFetchRow>().AsNoTracking().ToListAsync(), f => (f.Error ?? "").Contains("secret"));
        Assert.All(te.Server.Requests, r => Assert.DoesNotContain("secret", r.PathAndQuery));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_ThreatExchange_checkpoint_older_than_85_days_is_fetched_whole_and_what_vanished_is_deleted(DatabaseProvider provider)
    {
        var te = await FakeThreatExchange.StartAsync();
        await using var _ = te.Server;
        te.Indicators.AddRange([new("1", "HASH_MD5", Md5("a"), 10, false), new("2", "HASH_MD5", Md5("b"), 11, false)]);
        await using var core = await CoreAsync(provider, "te", ExchangeKinds.ThreatExchange, te.Server.Url, new()
        {
            ["Bulwark:Exchanges:Partners:0:PrivacyGroup"] = "77", ["Bulwark:Exchanges:Partners:0:Token"] = FakeThreatExchange.Token,
        });
        var sync = core.Get<ExchangeSyncService>();
        Assert.True((await sync.SyncAsync("te", "tester", default)).Ok);
        // Indicator 2's tombstone has expired at the partner: only a full fetch can tell it is gone.
        te.Indicators.RemoveAll(i => i.Id == "2");
        core.Clock.Advance(TimeSpan.FromDays(84));
        var recent = await sync.SyncAsync("te", "tester", default);
        Assert.False(recent.Fetch.FullRefetch);
        Assert.True((await ItemsAsync(core, "te")).Single(x => x.Item.ItemId == "2").Entry.Enabled);
        core.Clock.Advance(TimeSpan.FromDays(86));
        var stale = await sync.SyncAsync("te", "tester", default);
        Assert.True(stale.Ok, stale.Fetch.Error);
        Assert.True(stale.Fetch.FullRefetch);
        Assert.Equal(1, stale.Fetch.Deleted);
        var items = await ItemsAsync(core, "te");
        Assert.False(items.Single(x => x.Item.ItemId == "2").Entry.Enabled);
        Assert.True(items.Single(x => x.Item.ItemId == "1").Entry.Enabled);
    }

    private static Dictionary<string, string?> TcapAccount(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bulwark:Exchanges:Partners:0:Username"] = FakeTcap.Username, ["Bulwark:Exchanges:Partners:0:Password"] = FakeTcap.Password,
            ["Bulwark:Exchanges:Partners:0:PageLimit"] = "2",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return settings;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Tcap_logs_in_pages_the_hash_list_by_its_checkpoint_logs_in_again_when_the_token_expires_and_survives_faults_and_a_stuck_checkpoint(DatabaseProvider provider)
    {
        var tcap = await FakeTcap.StartAsync();
        await using var _ = tcap.Server;
        tcap.Add(1, "MD5", Md5("one"));
        tcap.Add(2, "SHA256", Sha256("one"));
        tcap.Add(3, "SHA512", new string('a', 128));
        tcap.Add(4, "PDQ", Pdq, fileType: "video");
        tcap.Add(5, "MD5", Md5("other"), ideology: "islamist");
        tcap.Add(6, "MD5", Md5("six"));
        await using var core = await CoreAsync(provider, "tcap", ExchangeKinds.Tcap, tcap.Server.Url, TcapAccount(new()
        {
            ["Bulwark:Exchanges:Partners:0:Ideology"] = "far-right", ["Bulwark:Exchanges:Partners:0:Alerts"] = "false",
            // A second account whose password TCAP refuses.
            ["Bulwark:Exchanges:Partners:1:Name"] = "tcap-wrong", ["Bulwark:Exchanges:Partners:1:Kind"] = ExchangeKinds.Tcap, ["Bulwark:Exchanges:Partners:1:Url"] = tcap.Server.Url,
            ["Bulwark:Exchanges:Partners:1:Bank"] = "partner-tcap-wrong", ["Bulwark:Exchanges:Partners:1:Username"] = FakeTcap.Username,
            ["Bulwark:Exchanges:Partners:1:Password"] = "not-the-password|secret",
        }));
        var sync = core.Get<ExchangeSyncService>();

        tcap.Server.Faults.Enqueue(Fault.Hang); // the log-in
        var timedOut = await sync.SyncAsync("tcap", "tester", default);
        Assert.Equal(FetchOutcome.Failed, timedOut.Fetch.Outcome);
        Assert.Contains("did not answer in time", timedOut.Fetch.Error);
        tcap.Server.Faults.Enqueue(Fault.None);
        tcap.Server.Faults.Enqueue(Fault.Malformed); // the first page
        var malformed = await sync.SyncAsync("tcap", "tester", default);
        Assert.Contains("malformed page from TCAP", malformed.Fetch.Error);
        Assert.Empty(await ItemsAsync(core, "tcap"));

        var ok = await sync.SyncAsync("tcap", "tester", default);
        Assert.True(ok.Ok, ok.Fetch.Error);
        Assert.Equal(3, ok.Fetch.Pages); // five far-right records, two a page
        var items = await ItemsAsync(core, "tcap");
        Assert.Equal(["1:md5", "2:sha256", "4:pdq", "6:md5"], items.Select(x => $"{x.Item.ItemId}:{x.Item.SignalType}").Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("ideology:far-right", items.Single(x => x.Item.ItemId == "4").Entry.LabelsJson);
        Assert.Contains("file-type:video", items.Single(x => x.Item.ItemId == "4").Entry.LabelsJson);
        Assert.Equal(1, ok.Fetch.Skipped); // the SHA-512
        Assert.Contains("sha512 kept out of the bank", ok.Fetch.Notes);
        var asked = tcap.Server.Requests.Where(r => r.PathAndQuery.StartsWith("/hash-list/v2/all", StringComparison.Ordinal)).Select(r => r.PathAndQuery).ToList();
        Assert.All(asked, q => Assert.Contains("ideology=far-right&limit=2&order=asc", q));
        Assert.StartsWith("after:", ok.Fetch.CheckpointAfter);
        Assert.Equal(1, tcap.Logins); // the timed-out log-in never answered; the malformed run's token is still good

        // The token expires: Bulwark logs in again once and carries on from its checkpoint.
        tcap.ExpireTokens();
        tcap.Add(7, "MD5", Md5("seven"));
        var refreshed = await sync.SyncAsync("tcap", "tester", default);
        Assert.True(refreshed.Ok, refreshed.Fetch.Error);
        Assert.Equal((1, 0), (refreshed.Fetch.Created, refreshed.Fetch.Updated));
        Assert.Equal(2, tcap.Logins);
        var resumedFrom = refreshed.Fetch.CheckpointBefore!["after:".Length..refreshed.Fetch.CheckpointBefore!.IndexOf("|alerts:", StringComparison.Ordinal)];
        Assert.Equal(ok.Fetch.CheckpointAfter, refreshed.Fetch.CheckpointBefore);
        Assert.Contains(tcap.Server.Requests, r => r.PathAndQuery.EndsWith($"&after={Uri.EscapeDataString(resumedFrom)}", StringComparison.Ordinal) && (r.Authorization ?? "").StartsWith("Bearer fake-tcap-jwt-2-", StringComparison.Ordinal));

        // A record deleted at the partner; then a partner stuck on one checkpoint: stopped, recorded, nothing doubled.
        tcap.Delete(1);
        tcap.StuckCheckpoint = "1767225600,0";
        var stuck = await sync.SyncAsync("tcap", "tester", default);
        Assert.Equal(FetchOutcome.Failed, stuck.Fetch.Outcome);
        Assert.Contains("repeated checkpoint", stuck.Fetch.Error);
        items = await ItemsAsync(core, "tcap");
        Assert.Equal(5, items.Count);
        Assert.False(items.Single(x => x.Item.ItemId == "1").Entry.Enabled);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.Equal(5, await db.BankEntries.CountAsync());
            Assert.Equal(5, await db.Set<ExchangeFetchRow>().CountAsync(f => f.Exchange == "tcap")); // timeout, malformed, ok, refreshed, stuck
        }

        // A password TCAP refuses: a clear, final error that names the keys, never the password.
        var refused = await sync.SyncAsync("tcap-wrong", "tester", default);
        Assert.Equal(FetchOutcome.Failed, refused.Fetch.Outcome);
        Assert.Contains("refused the log-in (HTTP 400): check the partner's Username and Password", refused.Fetch.Error);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var written = string.Join("\n", (await db.Set<ExchangeFetchRow>().AsNoTracking().ToListAsync()).Select(f => $"{f.Error} {f.Notes} {f.CheckpointBefore} {f.CheckpointAfter}"))
                + string.Join("\n", (await db.AuditEntries.AsNoTracking().ToListAsync()).Select(a => $"{a.Before} {a.After} {a.Subject}"));
            Assert.DoesNotContain("secret", written);
            Assert.DoesNotContain("fake-tcap-jwt", written);
        }
    }

    /// <summary>
    /// A partner synchronised by the first, assumed adapter has an <c>h:…|a:…</c> checkpoint and items of that shape: the new
    /// adapter treats the checkpoint as stale, reads TCAP's list whole and withdraws what it does not list.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Tcap_checkpoint_of_the_assumed_adapter_is_read_again_from_the_start_and_old_items_are_withdrawn(DatabaseProvider provider)
    {
        var tcap = await FakeTcap.StartAsync();
        await using var _ = tcap.Server;
        tcap.Add(1, "MD5", Md5("kept"));
        await using var core = await CoreAsync(provider, "tcap", ExchangeKinds.Tcap, tcap.Server.Url, TcapAccount(new() { ["Bulwark:Exchanges:Partners:0:Alerts"] = "false" }));
        var sync = core.Get<ExchangeSyncService>();
        Assert.True((await sync.SyncAsync("tcap", "tester", default)).Ok);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            // What the assumed adapter left behind: its checkpoint and an item id TCAP never uses.
            var old = await db.Set<ExchangeItemRow>().SingleAsync(i => i.Exchange == "tcap");
            old.ItemId = "r-old";
            (await db.Set<ExchangeStateRow>().SingleAsync(s => s.Name == "tcap")).Checkpoint = "h:5|a:3";
            await db.SaveChangesAsync();
        }
        var migrated = await sync.SyncAsync("tcap", "tester", default);
        Assert.True(migrated.Ok, migrated.Fetch.Error);
        Assert.True(migrated.Fetch.FullRefetch);
        Assert.Contains("is stale for tcap", migrated.Fetch.Notes);
        Assert.Equal((1, 1), (migrated.Fetch.Created, migrated.Fetch.Deleted));
        Assert.StartsWith("after:", migrated.Fetch.CheckpointAfter);
        var items = await ItemsAsync(core, "tcap");
        Assert.False(items.Single(x => x.Item.ItemId == "r-old").Entry.Enabled);
        Assert.True(items.Single(x => x.Item.ItemId == "1").Entry.Enabled);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Tcap_alerts_reach_the_queue_of_their_tier_and_a_human_decision_sends_feedback_by_category_id_with_retries(DatabaseProvider provider)
    {
        var tcap = await FakeTcap.StartAsync();
        await using var _ = tcap.Server;
        tcap.Alerts.Add(new(11, "https://platform.example/post/123", "Fictional Group A"));
        tcap.Alerts.Add(new(12, "https://platform.example/post/456", "Fictional Group B"));
        tcap.Alerts.Add(new(13, "https://platform.example/post/789", "Fictional Group C", Tier: "crisis")); // an alert that names its own tier keeps it
        await using var core = await CoreAsync(provider, "tcap", ExchangeKinds.Tcap, tcap.Server.Url, TcapAccount(new()
        {
            ["Bulwark:Exchanges:Partners:0:AlertTiers:Fictional Group A"] = AlertTiers.ThreatToLife, ["Bulwark:Exchanges:Partners:0:TechPlatform"] = "Fictional Platform",
        }));
        // Two partner hashes of clips that are then uploaded.
        var media = core.Get<IMediaStore>();
        var clips = new List<StoredMedia>();
        for (var i = 0; i < 2; i++)
        {
            var stored = await media.PutAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"synthetic clip fb{i}")), 1000, default);
            tcap.Add(501 + i, "MD5", stored.Md5!);
            clips.Add(new StoredMedia("f.bin", stored.Sha256!, stored.Size, "video/mp4"));
        }
        var sync = await core.Get<ExchangeSyncService>().SyncAsync("tcap", "tester", default);
        Assert.True(sync.Ok, sync.Fetch.Error);
        Assert.Equal((3, 2), (sync.Fetch.Alerts, sync.Fetch.Pages)); // the alerts' second page followed by its next URL
        Assert.All(tcap.TechPlatforms, p => Assert.Equal("Fictional Platform", p));
        Assert.Equal(2, tcap.TechPlatforms.Count);
        // The Submissions API has no checkpoint: the next run reads it again and keeps each alert once.
        var again = await core.Get<ExchangeSyncService>().SyncAsync("tcap", "tester", default);
        Assert.True(again.Ok, again.Fetch.Error);
        Assert.Equal(0, again.Fetch.Alerts);
        for (var i = 0; i < 2; i++)
            await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
            {
                Id = $"fb{i}", Kind = "video", Account = new AccountRef { Id = $"acct-fb{i}" }, Media = [new MediaRef { Part = "f.bin" }],
            }, new Dictionary<string, StoredMedia> { ["f.bin"] = clips[i] }, default);
        await ReviewScenario.RunAsync(core);

        Assert.Equal("threat-to-life", (await ReviewScenario.CaseOfAsync(core, ExchangeSyncService.AlertContentId("tcap", 1))).Queue);
        Assert.Equal("known-content", (await ReviewScenario.CaseOfAsync(core, ExchangeSyncService.AlertContentId("tcap", 2))).Queue);
        Assert.Equal("known-content", (await ReviewScenario.CaseOfAsync(core, ExchangeSyncService.AlertContentId("tcap", 3))).Queue);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var signals = await db.Signals.AsNoTracking().Where(s => s.Type == ExchangeSignalTypes.Alert).ToListAsync();
            Assert.Contains(signals, s => s.LabelsJson.Contains("tier:threat-to-life") && s.LabelsJson.Contains("group:Fictional Group A"));
            Assert.Contains(signals, s => s.LabelsJson.Contains("tier:designation") && s.LabelsJson.Contains("group:Fictional Group B"));
            Assert.Contains(signals, s => s.LabelsJson.Contains("tier:crisis") && s.LabelsJson.Contains("group:Fictional Group C"));
        }

        // The first clip: no violation, so TCAP hears FALSE_POSITIVE (its category id, read from the paged categories); the first send fails.
        var clip = await ReviewScenario.CaseOfAsync(core, "fb0");
        var claim = await ReviewScenario.ClaimAsync(core, clip.Id, ReviewScenario.Alice);
        var decided = await core.Get<ReviewDecisionService>().DecideAsync(ReviewScenario.NoViolation(claim), ReviewScenario.Alice, default);
        Assert.True(decided.Ok, decided.Message);
        var feedback = core.Get<ExchangeFeedback>();
        var recorded = Assert.Single(await feedback.ListAsync("tcap", 10, default));
        Assert.Equal((Opinions.FalsePositive, FeedbackStatus.Pending, "501"), (recorded.Opinion, recorded.Status, recorded.ItemId));
        tcap.Server.Faults.Enqueue(Fault.Http500); // the categories' first page
        Assert.Equal(0, await feedback.SendDueAsync(default));
        var retry = Assert.Single(await feedback.ListAsync("tcap", 10, default));
        Assert.Equal((FeedbackStatus.Pending, 1), (retry.Status, retry.Attempts));
        Assert.Contains("HTTP 500", retry.LastError);
        Assert.Equal(0, await feedback.SendDueAsync(default)); // not due yet
        core.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await feedback.SendDueAsync(default));
        Assert.Equal(("501", "FALSE_POSITIVE"), Assert.Single(tcap.Feedback));
        Assert.Equal(FeedbackStatus.Sent, Assert.Single(await feedback.ListAsync("tcap", 10, default)).Status);
        Assert.Contains(tcap.Server.Requests, r => r.PathAndQuery.Contains("/hash-list/v2/feedback/categories?limit=1&offset=1", StringComparison.Ordinal));

        // The second clip: a violation. TCAP lists no category that means "agree", so nothing is sent and the row says why.
        var second = await ReviewScenario.ClaimAsync(core, (await ReviewScenario.CaseOfAsync(core, "fb1")).Id, ReviewScenario.Alice);
        Assert.True((await core.Get<ReviewDecisionService>().DecideAsync(ReviewScenario.Violation(second), ReviewScenario.Alice, default)).Ok);
        Assert.Equal(0, await feedback.SendDueAsync(default));
        var agree = (await feedback.ListAsync("tcap", 10, default)).Single(f => f.ItemId == "502");
        Assert.Equal((Opinions.Agree, FeedbackStatus.Failed), (agree.Opinion, agree.Status));
        Assert.Contains("TCAP has no feedback category for 'agree'", agree.LastError);
        Assert.Contains("FALSE_POSITIVE, INCLUSION", agree.LastError);
        Assert.Single(tcap.Feedback);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_flood_guard_pauses_a_partner_whose_matches_surge_and_holds_its_matches_for_review(DatabaseProvider provider)
    {
        var drop = await FakeFileDrop.StartAsync();
        await using var _ = drop.Server;
        await using var core = await CoreAsync(provider, "drop", ExchangeKinds.File, drop.Server.Url + "/list.csv", new()
        {
            ["Bulwark:Exchanges:Partners:0:Format"] = "csv", ["Bulwark:Exchanges:Partners:0:FloodMaxMatches"] = "2", ["Bulwark:Exchanges:Partners:0:FloodWindowMinutes"] = "60",
        });
        var media = core.Get<IMediaStore>();
        var clips = new List<StoredMedia>();
        var csv = new System.Text.StringBuilder(BankInterop.CsvHeader + "\n");
        for (var i = 0; i < 4; i++)
        {
            var s = await media.PutAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"synthetic flood clip {i}")), 1000, default);
            clips.Add(new StoredMedia("f.bin", s.Sha256!, s.Size, "video/mp4"));
            csv.Append($"md5,{s.Md5},fictional-collab,Fictional Group A,radicalisation-recruitment-or-instruction\n");
        }
        drop.Content = csv.ToString();
        var first = await core.Get<ExchangeSyncService>().SyncAsync("drop", "tester", default);
        Assert.True(first.Ok, first.Fetch.Error);
        Assert.Equal(4, first.Fetch.Created);
        var unchanged = await core.Get<ExchangeSyncService>().SyncAsync("drop", "tester", default);
        Assert.Equal(0, unchanged.Fetch.Created + unchanged.Fetch.Deleted);

        for (var i = 0; i < 4; i++)
            await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
            {
                Id = $"flood{i}", Kind = "video", Account = new AccountRef { Id = $"acct-{i}" }, Media = [new MediaRef { Part = "f.bin" }],
            }, new Dictionary<string, StoredMedia> { ["f.bin"] = clips[i] }, default);
        await ReviewScenario.RunAsync(core);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var decisions = await db.Decisions.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
        Assert.Equal(4, decisions.Count);
        // The instruction label removes on a match, until the third match trips the guard: from then on a person decides.
        Assert.Equal(2, decisions.Count(d => d.Outcome == "review"));
        Assert.Equal(2, await db.Signals.CountAsync(s => s.Type == ExchangeSignalTypes.Held));
        var view = await core.Get<ExchangeAdmin>().GetAsync("drop", default);
        Assert.Equal(ExchangeStatus.FloodPaused, view.Status);
        Assert.Contains("within 60 minutes", view.StatusReason);
        Assert.Contains(await db.AuditEntries.AsNoTracking().ToListAsync(), a => a.Action == "exchange.flood_paused");

        // Paused: not fetched; a person resumes it.
        var skipped = await core.Get<ExchangeSyncService>().SyncAsync("drop", "tester", default);
        Assert.Equal(FetchOutcome.Skipped, skipped.Fetch.Outcome);
        Assert.Equal(ExchangeStatus.Active, (await core.Get<ExchangeAdmin>().ResumeAsync("drop", "reviewed the surge", "admin", default)).Status);

        // The file drops two rows: they are deleted.
        drop.Content = string.Join("\n", drop.Content.Split('\n').Take(3)) + "\n";
        var shrunk = await core.Get<ExchangeSyncService>().SyncAsync("drop", "tester", default);
        Assert.True(shrunk.Ok, shrunk.Fetch.Error);
        Assert.Equal(2, shrunk.Fetch.Deleted);
    }
}
