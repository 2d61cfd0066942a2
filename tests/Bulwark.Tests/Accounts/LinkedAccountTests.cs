using System.Text.Json;
using Bulwark.Core.Accounts;
using Bulwark.Core.Actions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Signals.Accounts;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Accounts;

/// <summary>Linked identifiers (platform-hashed): the contract, their storage, and the ban-evasion signal and rule.</summary>
public class LinkedAccountTests
{
    private const string DeviceHash = "9f2c4e1a7b3d5f60a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private const string OtherDeviceHash = "0a1b2c3d4e5f60718293a4b5c6d7e8f99f2c4e1a7b3d5f60";
    private const string EmailHash = "Zm9vYmFyLWJhei1xdXV4LXNhbHRlZA_-";

    private static readonly ContentEventValidator Validator = new(new IngestOptions(), new AddressGuard([]));

    private static LinkedIdentifier Id(string? type, string? hash) => new() { Type = type, Hash = hash };

    private static Dictionary<string, string> EventErrors(params LinkedIdentifier?[] ids) =>
        Validator.Validate(new ContentEvent { Id = "v1", Kind = "text", Text = "hi", Account = new AccountRef { Id = "acct", LinkedIdentifiers = [.. ids.Select(i => i!)] } })
            .ToDictionary(e => e.Field, e => e.Message);

    [Fact]
    public void Valid_hex_and_base64url_hashes_of_every_type_are_accepted()
    {
        Assert.Empty(EventErrors(Id("device", DeviceHash), Id("email", EmailHash), Id("phone", new string('A', 16)), Id("payment", new string('f', 128)), Id("ip", OtherDeviceHash)));
        Assert.Empty(Validator.Validate(new AccountProfile { Id = "acct", LinkedIdentifiers = [Id("device", DeviceHash)] }));
    }

    [Theory]
    [InlineData("imei", DeviceHash, "account.linkedIdentifiers[0].type", "'imei' is not an identifier type; expected one of device, email, phone, payment, ip")]
    [InlineData("Device", DeviceHash, "account.linkedIdentifiers[0].type", "'Device' is not an identifier type")]
    [InlineData(null, DeviceHash, "account.linkedIdentifiers[0].type", "is required")]
    [InlineData("email", "someone@example.org", "account.linkedIdentifiers[0].hash", "must be hex or unpadded base64url")]
    [InlineData("email", "Zm9vYmFyLWJhei1xdXV4LXNhbHRlZA==", "account.linkedIdentifiers[0].hash", "must be hex or unpadded base64url")]
    [InlineData("phone", "+390612345678", "account.linkedIdentifiers[0].hash", "is 13 characters long; a hash must be 16–128 characters")]
    [InlineData("device", "abc", "account.linkedIdentifiers[0].hash", "is 3 characters long")]
    [InlineData("device", null, "account.linkedIdentifiers[0].hash", "is required")]
    public void Bad_types_and_hashes_are_refused_naming_the_field_and_never_echoing_the_hash(string? type, string? hash, string field, string message)
    {
        var errors = EventErrors(Id(type, hash));
        Assert.Contains(message, errors[field]);
        Assert.Single(errors);
        if (hash is { Length: > 3 }) Assert.DoesNotContain(hash, errors[field]);
    }

    [Fact]
    public void Too_many_identifiers_and_null_entries_are_refused()
    {
        var many = Enumerable.Range(0, 21).Select(i => Id("device", DeviceHash[..40] + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal("has 21 items; at most 20 are accepted", EventErrors(many)["account.linkedIdentifiers"]);
        Assert.Empty(EventErrors(many[..20]));
        Assert.Equal("must be an object with type and hash", EventErrors(Id("device", DeviceHash), null)["account.linkedIdentifiers[1]"]);
        var profile = Validator.Validate(new AccountProfile { Id = "acct", LinkedIdentifiers = [Id("device", DeviceHash), Id("fax", DeviceHash)] });
        Assert.Equal("linkedIdentifiers[1].type", Assert.Single(profile).Field);
    }

    [Fact]
    public void The_json_contract_reads_linked_identifiers_and_refuses_unknown_fields()
    {
        var e = JsonSerializer.Deserialize("""{"id":"v1","kind":"text","account":{"id":"a","linkedIdentifiers":[{"type":"device","hash":"00112233445566778899aabbccddeeff"}]}}""", IngestJson.Default.ContentEvent)!;
        Assert.Equal(("device", "00112233445566778899aabbccddeeff"), (e.Account!.LinkedIdentifiers![0].Type, e.Account.LinkedIdentifiers[0].Hash));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"id":"a","linkedIdentifiers":[{"type":"email","hash":"00112233445566778899aabbccddeeff","raw":"x@y.z"}]}""", IngestJson.Default.AccountProfile));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Links_from_profiles_and_events_are_stored_once_with_first_and_last_seen_and_never_audited(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var accounts = core.Get<AccountService>();
        var first = core.Clock.GetUtcNow();
        var created = await accounts.UpsertAsync(new AccountProfile { Id = "acct-1", Handle = "one", LinkedIdentifiers = [Id("device", DeviceHash), Id("device", DeviceHash), Id("email", EmailHash)] }, "apikey:platform", default);
        Assert.Empty(created.Errors);
        core.Clock.Advance(TimeSpan.FromHours(2));
        // Same profile, one known link and one new: the profile is unchanged, the links are not.
        var again = await accounts.UpsertAsync(new AccountProfile { Id = "acct-1", Handle = "one", LinkedIdentifiers = [Id("email", EmailHash), Id("phone", OtherDeviceHash)] }, "apikey:platform", default);
        Assert.True(again.Changed);
        core.Clock.Advance(TimeSpan.FromHours(2));
        var ingest = core.Get<IngestService>();
        var outcome = await ingest.AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "hello", Account = new AccountRef { Id = "acct-1", LinkedIdentifiers = [Id("device", DeviceHash)] } }, null, default);
        Assert.Equal(IngestStatus.Accepted, outcome.Status);
        // A second account may carry the same hash: that is the link ban evasion looks for.
        await ingest.AcceptOneAsync(new ContentEvent { Id = "t2", Kind = "text", Text = "hello", Account = new AccountRef { Id = "acct-2", LinkedIdentifiers = [Id("device", DeviceHash)] } }, null, default);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var rows = await db.Set<AccountLinkRow>().AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([("acct-1", "device"), ("acct-1", "email"), ("acct-1", "phone"), ("acct-2", "device")], rows.Select(r => (r.AccountId, r.Type)));
        var device = rows[0];
        Assert.Equal(first, device.FirstSeenAt);
        Assert.Equal(first.AddHours(4), device.LastSeenAt);
        Assert.Equal((first, first.AddHours(2)), (rows[1].FirstSeenAt, rows[1].LastSeenAt));
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Subject == "account:acct-1").ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.Contains("linkedIdentifiers+=1", audit[1].After);
        Assert.All(audit, a => Assert.DoesNotContain(DeviceHash, (a.Before ?? "") + a.After));
        Assert.All(audit, a => Assert.DoesNotContain(OtherDeviceHash, (a.Before ?? "") + a.After));
    }

    /// <summary>Bans acct-a through the real zero-tolerance rule, then gives it a device hash by profile upsert.</summary>
    private static async Task<long> BanAccountAAsync(CoreServices core)
    {
        await ActivateZeroToleranceRuleAsync(core);
        await UploadAsync(core, "v-a", "acct-a", DoiSupport, "synthetic support clip");
        await RunOnceAsync(core);
        var decision = await DecisionOfAsync(core, "v-a");
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Contains("account.ban", await db.Set<ActionRow>().Where(a => a.TargetId == "acct-a").Select(a => a.Kind).ToListAsync());
        Assert.Empty((await core.Get<AccountService>().UpsertAsync(new AccountProfile { Id = "acct-a", LinkedIdentifiers = [Id("device", DeviceHash), Id("ip", OtherDeviceHash)] }, "apikey:platform", default)).Errors);
        return decision.Id;
    }

    private static Task UploadTextAsync(CoreServices core, string id, string account, params LinkedIdentifier[] ids) =>
        core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "text", Text = "a holiday video from the seaside",
            Account = new AccountRef { Id = account, LinkedIdentifiers = ids.Length == 0 ? null : [.. ids] },
        }, null, default);

    private static async Task<List<SignalRow>> EvasionSignalsAsync(CoreServices core, string contentId)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await (from s in db.Signals.AsNoTracking()
                      join v in db.ContentVersions on s.ContentVersionId equals v.Id
                      where v.ContentId == contentId && s.Type == BanEvasionExtractor.SignalType
                      select s).ToListAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_new_account_sharing_a_device_with_a_banned_account_goes_to_review_and_unrelated_accounts_do_not(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await BanAccountAAsync(core);
        core.Clock.Advance(TimeSpan.FromDays(1));
        await UploadTextAsync(core, "t-b", "acct-b", Id("device", DeviceHash), Id("email", EmailHash));
        await UploadTextAsync(core, "t-c", "acct-c", Id("device", OtherDeviceHash));   // the banned account's IP hash, but as a device: no match
        await UploadTextAsync(core, "t-d", "acct-d", Id("ip", OtherDeviceHash));       // shares only an IP address
        await UploadTextAsync(core, "t-e", "acct-e");                                  // no identifiers at all
        await RunOnceAsync(core);

        var b = await DecisionOfAsync(core, "t-b");
        Assert.Equal(("review", "ban-evasion", "VE-DOI", "high"), (b.Outcome, b.Queue, b.Policy, b.Priority));
        Assert.Contains("ban-evasion-doi", b.RulesJson);
        Assert.DoesNotContain("account.ban", b.ActionsJson);
        Assert.DoesNotContain("account.suspend", b.ActionsJson);
        var signal = Assert.Single(await EvasionSignalsAsync(core, "t-b"));
        Assert.Equal(("device", 0.9), (signal.Value, signal.Score));
        Assert.Equal(["identifier:device", "policy:VE-DOI", "measure:ban"], JsonSerializer.Deserialize<List<string>>(signal.LabelsJson));
        Assert.Equal("The account shares a device identifier with 1 account currently banned or suspended (banned under VE-DOI)", signal.Explanation);
        Assert.DoesNotContain(DeviceHash, b.Explanation + b.FiredJson);

        Assert.Empty(await EvasionSignalsAsync(core, "t-c"));
        Assert.Equal("no_action", (await DecisionOfAsync(core, "t-c")).Outcome);
        // An IP address is often shared by strangers: recorded, weakly scored, not sent to review by the shipped rules.
        var ip = Assert.Single(await EvasionSignalsAsync(core, "t-d"));
        Assert.Equal(("ip", 0.3), (ip.Value, ip.Score));
        Assert.Equal("no_action", (await DecisionOfAsync(core, "t-d")).Outcome);
        Assert.Empty(await EvasionSignalsAsync(core, "t-e"));
        Assert.Equal("no_action", (await DecisionOfAsync(core, "t-e")).Outcome);
        // The banned account's own later upload does not report the account as evading itself.
        await UploadTextAsync(core, "t-a2", "acct-a", Id("device", DeviceHash));
        await RunOnceAsync(core);
        Assert.Empty(await EvasionSignalsAsync(core, "t-a2"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_ban_reversed_on_appeal_no_longer_counts_once_the_account_is_reinstated(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await BanAccountAAsync(core);
        var appeals = core.Get<AppealService>();
        var appeal = (await appeals.SubmitAsync(new NewAppeal(null, "v-a", "It was a news report."), "apikey:platform", default)).Appeal!;
        var decided = await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("reversed", "News reporting is an exception.", "reviewer-ana"), "reviewer-ana", default);
        Assert.Contains("account acct-a reinstated", decided.Appeal!.Effects);

        core.Clock.Advance(TimeSpan.FromDays(1));
        await UploadTextAsync(core, "t-b", "acct-b", Id("device", DeviceHash));
        await RunOnceAsync(core);
        Assert.Empty(await EvasionSignalsAsync(core, "t-b"));
        Assert.Equal("no_action", (await DecisionOfAsync(core, "t-b")).Outcome);
    }

    [Fact]
    public async Task A_suspension_counts_while_it_lasts_and_not_after()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        // VE-INSTRUCT weighs 3: one violation suspends for the default 7 days.
        await UploadAsync(core, "i1", "acct-s", Instruction, "an instruction clip");
        await RunOnceAsync(core);
        await core.Get<AccountService>().UpsertAsync(new AccountProfile { Id = "acct-s", LinkedIdentifiers = [Id("phone", DeviceHash)] }, "apikey:platform", default);
        core.Clock.Advance(TimeSpan.FromDays(2));
        await UploadTextAsync(core, "t-1", "acct-new", Id("phone", DeviceHash));
        await RunOnceAsync(core);
        var during = Assert.Single(await EvasionSignalsAsync(core, "t-1"));
        Assert.Equal(["identifier:phone", "policy:VE-INSTRUCT", "measure:suspend"], JsonSerializer.Deserialize<List<string>>(during.LabelsJson));
        Assert.Equal(("review", "ban-evasion"), ((await DecisionOfAsync(core, "t-1")).Outcome, (await DecisionOfAsync(core, "t-1")).Queue));

        core.Clock.Advance(TimeSpan.FromDays(6));
        await UploadTextAsync(core, "t-2", "acct-new", Id("phone", DeviceHash));
        await RunOnceAsync(core);
        Assert.Empty(await EvasionSignalsAsync(core, "t-2"));
    }

    /// <summary>
    /// On a running server (workers on): an account with no links is decided without evasion; then the banned account's
    /// device is linked through the API, and the next upload sharing it, and one from an account linked by profile only,
    /// are caught. Batches read links afresh each time, so nothing the pipeline read before hides a new link.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Evasion_is_caught_when_a_link_is_added_while_the_server_runs(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        var files = Bulwark.Core.Policy.Catalogue.ShippedPolicy.Rules().Select(r => new Bulwark.Core.Policy.Rules.RuleFile(r.Name, r.Text)).ToList();
        files.Add(new Bulwark.Core.Policy.Rules.RuleFile("zero-tolerance.rules",
            $"rule doi-confirmed-support enforce {{\n  policy VE-DOI\n  when any hash.match[label \"{DoiSupport}\"]\n  then remove, strike, ban\n  explain \"Confirmed support for a designated organisation\"\n}}\n"));
        Assert.True((await host.Services.GetRequiredService<Bulwark.Core.Policy.PolicyStore>().ActivateAsync(files, "policy-admin", default)).Applied);
        await UploadAsync(host.Services, "v-a", "acct-a", DoiSupport, "synthetic support clip");
        Assert.Contains("account.ban", (await host.WaitForStatusAsync("v-a")).GetRawText());

        async Task<JsonElement> PostAsync(string path, string json)
        {
            using var response = await host.Admin.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return await host.WaitForStatusAsync(System.Text.Json.Nodes.JsonNode.Parse(json)!["id"]!.GetValue<string>());
        }
        static string Text(string id, string account, string? deviceHash) => JsonSerializer.Serialize(new ContentEvent
        {
            Id = id, Kind = "text", Text = "a holiday video",
            Account = new AccountRef { Id = account, LinkedIdentifiers = deviceHash is null ? null : [Id("device", deviceHash)] },
        }, IngestJson.Default.ContentEvent);
        async Task<bool> EvadesAsync(string contentId) => (await host.WaitForStatusAsync(contentId)).GetProperty("signals").EnumerateArray()
            .Any(s => s.GetProperty("type").GetString() == BanEvasionExtractor.SignalType);

        // Nobody has links yet: the batch's link lookup finds none.
        await PostAsync("/api/v1/content", Text("t-1", "acct-b", null));
        Assert.False(await EvadesAsync("t-1"));

        using (var linked = await host.Admin.PostAsync("/api/v1/accounts", new StringContent($$"""{"id":"acct-a","linkedIdentifiers":[{"type":"device","hash":"{{DeviceHash}}"}]}""", System.Text.Encoding.UTF8, "application/json")))
            Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
        await PostAsync("/api/v1/content", Text("t-2", "acct-b", DeviceHash));
        Assert.True(await EvadesAsync("t-2"));
        using (var linked = await host.Admin.PostAsync("/api/v1/accounts", new StringContent($$"""{"id":"acct-c","linkedIdentifiers":[{"type":"device","hash":"{{DeviceHash}}"}]}""", System.Text.Encoding.UTF8, "application/json")))
            Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
        await PostAsync("/api/v1/content", Text("t-3", "acct-c", null));
        Assert.True(await EvadesAsync("t-3"));
    }
}
