using Bulwark.Core.Signals.Exchange;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting.DemoPartners;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Exchange;

/// <summary>
/// Every checkpointed exchange against its fake, for every way a partner can fail mid-fetch (an HTTP 500, no answer, a page
/// that is not the documented JSON), on both databases: the failure is recorded with its reason, the page before it stays
/// applied with its checkpoint, and the next run resumes there without doubling anything. Also a delete of an item the
/// partner never sent, for both kinds.
/// </summary>
public class ExchangeFaultTests
{
    public static TheoryData<DatabaseProvider, string, Fault> Cases()
    {
        var data = new TheoryData<DatabaseProvider, string, Fault>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
            foreach (var kind in new[] { ExchangeKinds.ThreatExchange, ExchangeKinds.Tcap })
                foreach (var fault in new[] { Fault.Http500, Fault.Hang, Fault.Malformed })
                    data.Add(provider, kind, fault);
        return data;
    }

    /// <summary><paramref name="RequestsBeforeSecondPage"/>: TCAP logs in before its first page.</summary>
    private sealed record Partner(FakeServer Server, Action<int, bool> Add, Dictionary<string, string?> Settings, int RequestsBeforeSecondPage = 1);

    /// <summary>A fake of <paramref name="kind"/> whose items are added by number (<c>Add(n, delete)</c>), two a page.</summary>
    private static async Task<Partner> StartAsync(string kind)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bulwark:Exchanges:WorkerEnabled"] = "false", ["Bulwark:Exchanges:AllowedInternal:0"] = "127.0.0.1", ["Bulwark:Exchanges:TimeoutSeconds"] = "2",
            ["Bulwark:Exchanges:Partners:0:Name"] = "partner", ["Bulwark:Exchanges:Partners:0:Kind"] = kind, ["Bulwark:Exchanges:Partners:0:Bank"] = "partner-bank",
        };
        if (kind == ExchangeKinds.ThreatExchange)
        {
            var te = await FakeThreatExchange.StartAsync();
            settings["Bulwark:Exchanges:Partners:0:Url"] = te.Server.Url;
            settings["Bulwark:Exchanges:Partners:0:Token"] = FakeThreatExchange.Token;
            settings["Bulwark:Exchanges:Partners:0:PrivacyGroup"] = "4242";
            return new Partner(te.Server, (n, delete) => { lock (te.Indicators) te.Indicators.Add(new($"{n}", "HASH_MD5", KnownSignalTypes.Md5Hex($"synthetic {n}"), 100 + te.Indicators.Count, delete)); }, settings);
        }
        var tcap = await FakeTcap.StartAsync();
        FakeTcaps[tcap.Server] = tcap;
        settings["Bulwark:Exchanges:Partners:0:Url"] = tcap.Server.Url;
        settings["Bulwark:Exchanges:Partners:0:Username"] = FakeTcap.Username;
        settings["Bulwark:Exchanges:Partners:0:Password"] = FakeTcap.Password;
        settings["Bulwark:Exchanges:Partners:0:PageLimit"] = "2";
        settings["Bulwark:Exchanges:Partners:0:Alerts"] = "false";
        return new Partner(tcap.Server, (n, delete) => { if (delete) tcap.Delete(n); else tcap.Add(n, "MD5", KnownSignalTypes.Md5Hex($"synthetic {n}")); }, settings, RequestsBeforeSecondPage: 2);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<FakeServer, FakeTcap> FakeTcaps = new();

    private static async Task<(int Items, int Entries, string? Checkpoint)> StoredAsync(CoreServices core)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return (await db.Set<ExchangeItemRow>().CountAsync(), await db.BankEntries.CountAsync(),
            (await db.Set<ExchangeStateRow>().AsNoTracking().SingleAsync(s => s.Name == "partner")).Checkpoint);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_partner_failing_on_its_second_page_leaves_the_first_applied_and_the_next_run_resumes_after_it(DatabaseProvider provider, string kind, Fault fault)
    {
        var partner = await StartAsync(kind);
        await using var _ = partner.Server;
        for (var n = 1; n <= 3; n++) partner.Add(n, false);
        await using var core = await CoreServices.CreateAsync(provider, partner.Settings);
        var sync = core.Get<ExchangeSyncService>();

        for (var i = 0; i < partner.RequestsBeforeSecondPage; i++) partner.Server.Faults.Enqueue(Fault.None);
        partner.Server.Faults.Enqueue(fault);
        var failed = await sync.SyncAsync("partner", "tester", default);
        Assert.Equal(FetchOutcome.Failed, failed.Fetch.Outcome);
        Assert.Contains(fault switch { Fault.Http500 => "HTTP 500", Fault.Hang => "did not answer in time", _ => "malformed page" }, failed.Fetch.Error);
        Assert.StartsWith("page 2: ", failed.Fetch.Error);
        Assert.Equal((1, 2), (failed.Fetch.Pages, failed.Fetch.Created));
        var afterFailure = await StoredAsync(core);
        Assert.Equal((2, 2, failed.Fetch.CheckpointAfter), afterFailure);
        Assert.Contains($"resumes from checkpoint {failed.Fetch.CheckpointAfter}", failed.Fetch.Error);
        Assert.Equal(failed.Fetch.Error, (await core.Get<ExchangeAdmin>().GetAsync("partner", default)).LastError);

        var resumed = await sync.SyncAsync("partner", "tester", default);
        Assert.True(resumed.Ok, resumed.Fetch.Error);
        Assert.Equal(failed.Fetch.CheckpointAfter, resumed.Fetch.CheckpointBefore);
        Assert.Equal((1, 0), (resumed.Fetch.Created, resumed.Fetch.Updated)); // only the third item: nothing applied twice
        Assert.Equal(3, (await StoredAsync(core)).Entries);
        Assert.Null((await core.Get<ExchangeAdmin>().GetAsync("partner", default)).LastError);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, ExchangeKinds.ThreatExchange)]
    [InlineData(DatabaseProvider.Sqlite, ExchangeKinds.Tcap)]
    [InlineData(DatabaseProvider.Postgres, ExchangeKinds.ThreatExchange)]
    [InlineData(DatabaseProvider.Postgres, ExchangeKinds.Tcap)]
    public async Task A_delete_of_an_item_the_partner_never_sent_is_counted_and_changes_nothing(DatabaseProvider provider, string kind)
    {
        var partner = await StartAsync(kind);
        await using var _ = partner.Server;
        partner.Add(1, false);
        await using var core = await CoreServices.CreateAsync(provider, partner.Settings);
        var sync = core.Get<ExchangeSyncService>();
        Assert.True((await sync.SyncAsync("partner", "tester", default)).Ok);

        partner.Add(77, true);
        var r = await sync.SyncAsync("partner", "tester", default);
        Assert.True(r.Ok, r.Fetch.Error);
        Assert.Equal((0, 1, 0), (r.Fetch.Deleted, r.Fetch.UnknownDeletes, r.Fetch.Created));
        Assert.Contains("delete of unknown item '77'", r.Fetch.Notes);
        Assert.Equal((1, 1), ((await StoredAsync(core)).Items, (await StoredAsync(core)).Entries));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.True(await db.BankEntries.AllAsync(e => e.Enabled));
    }

    public static TheoryData<DatabaseProvider, Fault> FileDropCases()
    {
        var data = new TheoryData<DatabaseProvider, Fault>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
            foreach (var fault in new[] { Fault.Http500, Fault.Hang, Fault.Malformed })
                data.Add(provider, fault);
        return data;
    }

    private static string Csv(params int[] rows) =>
        BankInterop.CsvHeader + "\n" + string.Concat(rows.Select(n => $"md5,{KnownSignalTypes.Md5Hex($"synthetic drop {n}")},fictional-collab,Fictional Group A,glorification-of-terrorist-acts\n"));

    private static async Task<(int Enabled, int Disabled)> EntriesAsync(CoreServices core)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return (await db.BankEntries.CountAsync(e => e.Enabled), await db.BankEntries.CountAsync(e => !e.Enabled));
    }

    /// <summary>
    /// A file drop is one page, a whole list: a failed fetch of a changed file (500, no answer, a body that is no list at all)
    /// must change nothing — above all, not read as an empty list that deletes every entry — and the next fetch applies it.
    /// </summary>
    [Theory]
    [MemberData(nameof(FileDropCases))]
    public async Task A_file_drop_that_fails_leaves_the_bank_and_checkpoint_as_they_were_and_the_next_fetch_applies_the_change(DatabaseProvider provider, Fault fault)
    {
        var drop = await FakeFileDrop.StartAsync();
        await using var _ = drop.Server;
        drop.Content = Csv(1, 2, 3);
        await using var core = await CoreServices.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Bulwark:Exchanges:WorkerEnabled"] = "false", ["Bulwark:Exchanges:AllowedInternal:0"] = "127.0.0.1", ["Bulwark:Exchanges:TimeoutSeconds"] = "2",
            ["Bulwark:Exchanges:Partners:0:Name"] = "partner", ["Bulwark:Exchanges:Partners:0:Kind"] = ExchangeKinds.File, ["Bulwark:Exchanges:Partners:0:Format"] = FileDropFormats.Csv,
            ["Bulwark:Exchanges:Partners:0:Url"] = drop.Server.Url + "/list.csv", ["Bulwark:Exchanges:Partners:0:Bank"] = "partner-bank",
        });
        var sync = core.Get<ExchangeSyncService>();
        var first = await sync.SyncAsync("partner", "tester", default);
        Assert.True(first.Ok, first.Fetch.Error);
        Assert.Equal((3, 0), await EntriesAsync(core));

        drop.Content = Csv(2, 3, 4); // row 1 withdrawn, row 4 new
        drop.Server.Faults.Enqueue(fault);
        var failed = await sync.SyncAsync("partner", "tester", default);
        Assert.Equal(FetchOutcome.Failed, failed.Fetch.Outcome);
        Assert.Contains(fault switch { Fault.Http500 => "HTTP 500", Fault.Hang => "did not answer in time", _ => "malformed file" }, failed.Fetch.Error);
        Assert.Equal((0, 0, 0), (failed.Fetch.Created, failed.Fetch.Deleted, failed.Fetch.Pages));
        Assert.Equal((3, 0), await EntriesAsync(core));
        Assert.Equal(first.Fetch.CheckpointAfter, (await StoredAsync(core)).Checkpoint);

        var resumed = await sync.SyncAsync("partner", "tester", default);
        Assert.True(resumed.Ok, resumed.Fetch.Error);
        Assert.Equal((1, 1), (resumed.Fetch.Created, resumed.Fetch.Deleted));
        Assert.Equal((3, 1), await EntriesAsync(core));
    }

    /// <summary>The same file again (a repeated checkpoint: 304 to If-None-Match, or the same bytes without an ETag) changes nothing.</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_file_drop_serving_the_same_file_again_changes_nothing(DatabaseProvider provider)
    {
        var drop = await FakeFileDrop.StartAsync();
        await using var _ = drop.Server;
        drop.Content = Csv(1, 2);
        await using var core = await CoreServices.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Bulwark:Exchanges:WorkerEnabled"] = "false", ["Bulwark:Exchanges:AllowedInternal:0"] = "127.0.0.1", ["Bulwark:Exchanges:TimeoutSeconds"] = "2",
            ["Bulwark:Exchanges:Partners:0:Name"] = "partner", ["Bulwark:Exchanges:Partners:0:Kind"] = ExchangeKinds.File, ["Bulwark:Exchanges:Partners:0:Format"] = FileDropFormats.Csv,
            ["Bulwark:Exchanges:Partners:0:Url"] = drop.Server.Url + "/list.csv", ["Bulwark:Exchanges:Partners:0:Bank"] = "partner-bank",
        });
        var sync = core.Get<ExchangeSyncService>();
        Assert.True((await sync.SyncAsync("partner", "tester", default)).Ok);
        foreach (var ignoreEtag in new[] { false, true })
        {
            drop.IgnoreIfNoneMatch = ignoreEtag;
            var again = await sync.SyncAsync("partner", "tester", default);
            Assert.True(again.Ok, again.Fetch.Error);
            Assert.Equal((0, 0, 0), (again.Fetch.Created, again.Fetch.Updated, again.Fetch.Deleted));
            Assert.Equal((2, 0), await EntriesAsync(core));
        }
    }

    /// <summary>TCAP's alerts are paged by a <c>next</c> URL and the bearer token goes with it: one on another origin is refused, not followed.</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_tcap_next_url_on_another_origin_is_refused_and_nothing_of_that_page_is_applied(DatabaseProvider provider)
    {
        var partner = await StartAsync(ExchangeKinds.Tcap);
        await using var _ = partner.Server;
        partner.Settings["Bulwark:Exchanges:Partners:0:Alerts"] = "true";
        await using var core = await CoreServices.CreateAsync(provider, partner.Settings);
        partner.Add(1, false);
        var tcap = FakeTcaps[partner.Server];
        for (var n = 1; n <= 3; n++) tcap.Alerts.Add(new(n, $"https://platform.example/post/{n}", "Fictional Group A"));
        tcap.AlertsNextOrigin = "http://127.0.0.2:9";
        var r = await core.Get<ExchangeSyncService>().SyncAsync("partner", "tester", default);
        Assert.Equal(FetchOutcome.Failed, r.Fetch.Outcome);
        Assert.Contains("'next' points away from", r.Fetch.Error);
        Assert.Equal((0, 0, 0), (r.Fetch.Pages, r.Fetch.Created, r.Fetch.Alerts));
        Assert.Equal((0, 0, null), await StoredAsync(core));
    }
}
