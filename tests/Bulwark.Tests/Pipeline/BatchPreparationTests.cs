using System.Text.Json;
using Bulwark.Core.Accounts;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Pipeline;

/// <summary>
/// Stages read the database once per claimed batch (<see cref="IBatchPreparation"/>): what they read must be what each item
/// would have read on its own, and what is written between batches must be seen by the next one.
/// </summary>
public class BatchPreparationTests
{
    private static readonly string[] Policies = ["VE-INSTRUCT", "VE-DOI", "VE-GLORIFY"];

    private sealed record StrikeSpec(int Policy, double Weight, int DaysAgo, int WindowDays, bool Removed);

    private sealed record AccountSpec(bool Profile, StrikeSpec[] Strikes, string?[] Findings);

    private static readonly Gen<StrikeSpec> StrikeGen =
        from policy in Gen.Choose(0, Policies.Length - 1)
        // Weights that are not sums of powers of two, so a different summation order would show in the last bits.
        from weight in Gen.OneOf(Gen.Elements(0.5, 1.0, 2.0, 3.0), Gen.Choose(1, 1000).Select(n => n / 100.0), Gen.Choose(1, 99).Select(n => n / 7.0))
        from daysAgo in Gen.Choose(0, 200)
        from window in Gen.Elements(30, 90)
        from removed in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new StrikeSpec(policy, weight, daysAgo, window, removed);

    private static readonly Gen<AccountSpec> AccountGen =
        from profile in Gen.Elements(true, false)
        from strikes in Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(StrikeGen, n))
        from findings in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements<string?>(null, "", "  ", "entity-1", "Synthetic Front"), n))
        select new AccountSpec(profile, strikes, findings);

    /// <summary>
    /// For random account histories (active, expired and removed strikes of any weight, findings with and without an entity,
    /// profiles or none, accounts with no rows at all), the batched read gives exactly the facts the per-item read gives.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Batched_account_facts_equal_the_per_item_reference_for_random_histories(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var enforcement = core.Get<EnforcementService>();
        var dbs = core.Get<IBulwarkDbFactory>();
        var now = core.Clock.GetUtcNow();
        var round = 0;

        async Task<bool> SameFactsAsync(AccountSpec[] accounts)
        {
            var prefix = $"r{++round}-";
            await using (var db = dbs.Create())
            {
                for (var a = 0; a < accounts.Length; a++)
                {
                    var id = $"{prefix}acct-{a}";
                    if (accounts[a].Profile) db.Accounts.Add(new AccountRow { Id = id, CreatedAt = now });
                    for (var s = 0; s < accounts[a].Strikes.Length; s++)
                    {
                        var spec = accounts[a].Strikes[s];
                        var created = now.AddDays(-spec.DaysAgo);
                        db.Set<StrikeRow>().Add(new StrikeRow
                        {
                            AccountId = id, Policy = Policies[spec.Policy], Weight = spec.Weight, CauseKey = $"{id}:{s}",
                            CreatedAt = created, ExpiresAt = created.AddDays(spec.WindowDays), RemovedAt = spec.Removed ? now : null,
                        });
                    }
                    foreach (var linked in accounts[a].Findings)
                        db.Set<OffPlatformFindingRow>().Add(new OffPlatformFindingRow
                        {
                            AccountId = id, Source = "partner", Description = "synthetic finding", LinkedEntity = linked, CreatedBy = "investigator", CreatedAt = now,
                        });
                }
                await db.SaveChangesAsync();
            }
            // Every account of the history, one that has no rows anywhere, a repeated id and an empty one.
            var ids = Enumerable.Range(0, accounts.Length).Select(a => $"{prefix}acct-{a}").Append($"{prefix}absent").Append($"{prefix}acct-0").Append("").ToList();
            var batched = await enforcement.FactsAsync(ids, default);
            foreach (var id in ids.Where(i => i.Length > 0))
            {
                var single = await enforcement.FactsAsync(id, default);
                var both = batched[id];
                if (single.Known != both.Known || single.Strikes.CompareTo(both.Strikes) != 0 || single.Findings != both.Findings
                    || single.LinkedFindings != both.LinkedFindings
                    || !single.PolicyStrikes.OrderBy(kv => kv.Key).SequenceEqual(both.PolicyStrikes.OrderBy(kv => kv.Key)))
                    throw new InvalidOperationException($"{id}: per item {Describe(single)}, batched {Describe(both)}");
            }
            return !batched.ContainsKey("");
        }

        var property = Prop.ForAll(Arb.From(Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(AccountGen, n))),
            (AccountSpec[] accounts) => SameFactsAsync(accounts).GetAwaiter().GetResult());
        // Off the test's synchronisation context: the property blocks on database calls.
        await Task.Run(() => property.Check(Config.QuickThrowOnFailure.WithMaxTest(40)));
        Assert.Equal(40, round);
    }

    private static string Describe(AccountFacts f) =>
        $"known={f.Known} strikes={f.Strikes:R} findings={f.Findings} linked={f.LinkedFindings} per policy={string.Join(",", f.PolicyStrikes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value:R}"))}";

    private const string DeviceHash = "9f2c4e1a7b3d5f60a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private const string IpHash = "0a1b2c3d4e5f60718293a4b5c6d7e8f99f2c4e1a7b3d5f60";

    /// <summary>
    /// The whole stage chain, run on a mixed batch once with the batch preparations and once with each stage's own per-item
    /// reads, gives the same signals and the same decisions: a banned account's device shared, a suspended account, an
    /// account with an entity-linked finding, a profile only, an unknown account and an event with no account.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Prepared_and_per_item_reads_give_the_same_signals_and_decisions(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await ActivateZeroToleranceRuleAsync(core);
        await UploadAsync(core, "v-a", "acct-a", DoiSupport, "synthetic support clip");
        await UploadAsync(core, "v-s", "acct-s", Instruction, "synthetic instruction clip");
        await RunOnceAsync(core);
        var accounts = core.Get<AccountService>();
        Assert.Empty((await accounts.UpsertAsync(new AccountProfile { Id = "acct-a", LinkedIdentifiers = [new() { Type = "device", Hash = DeviceHash }, new() { Type = "ip", Hash = IpHash }] }, "apikey:platform", default)).Errors);
        Assert.Empty((await accounts.UpsertAsync(new AccountProfile { Id = "acct-p", Handle = "profile-only" }, "apikey:platform", default)).Errors);
        Assert.Empty((await core.Get<EnforcementService>().AddFindingAsync("acct-f", new NewFinding("partner", "Recruits for Synthetic Front", null, "entity-1"), "investigator", default)).Errors);
        core.Clock.Advance(TimeSpan.FromDays(1));

        var ingest = core.Get<IngestService>();
        var events = new (string Id, string? Account, LinkedIdentifier[] Links)[]
        {
            ("t-b", "acct-b", [new() { Type = "device", Hash = DeviceHash }]),
            ("t-d", "acct-d", [new() { Type = "ip", Hash = IpHash }]),
            ("t-s", "acct-s", []), ("t-f", "acct-f", []), ("t-p", "acct-p", []), ("t-u", "acct-unknown", []), ("t-n", null, []),
            ("t-a", "acct-a", [new() { Type = "device", Hash = DeviceHash }]),
        };
        foreach (var (id, account, links) in events)
            Assert.Equal(IngestStatus.Accepted, (await ingest.AcceptOneAsync(new ContentEvent
            {
                Id = id, Kind = "text", Text = "a holiday video from the seaside",
                Account = account is null ? null : new AccountRef { Id = account, LinkedIdentifiers = links.Length == 0 ? null : [.. links] },
            }, null, default)).Status);

        List<PipelineContext> Contexts()
        {
            using var db = core.Get<IBulwarkDbFactory>().Create();
            return db.ContentVersions.AsNoTracking().Where(v => v.Status != ContentStatus.Decided).OrderBy(v => v.Id).ToList()
                .Select(v => new PipelineContext(v.Id, v.ContentId, v.Version, JsonSerializer.Deserialize(v.EventJson, IngestJson.Default.ContentEvent)!)).ToList();
        }
        var extractors = core.Services.GetServices<ISignalExtractor>().ToList();
        var decider = core.Get<IPolicyDecider>();
        var preparations = extractors.Cast<object>().Append(decider).OfType<IBatchPreparation>().ToList();
        Assert.Equal(["ban-evasion", "decider"], preparations.Select(p => p.Name).Order());

        async Task<List<string>> RunAsync(List<PipelineContext> contexts)
        {
            var results = new List<string>();
            foreach (var context in contexts)
            {
                foreach (var extractor in extractors) Assert.True((await extractor.ExtractAsync(context, default)).Ok);
                var decision = await decider.DecideAsync(context, default);
                results.Add(context.ContentId + "\n" + JsonSerializer.Serialize(context.Signals) + "\n" + JsonSerializer.Serialize(decision));
            }
            return results;
        }

        var perItem = await RunAsync(Contexts());
        var prepared = Contexts();
        foreach (var p in preparations) await p.PrepareAsync(prepared, default);
        Assert.All(prepared, c => Assert.NotNull(c.Prepared<AccountFacts>()));
        var batched = await RunAsync(prepared);
        Assert.Equal(perItem, batched);

        // The batch is not trivial: it holds evasion signals, a known account with strikes and one with a linked finding.
        Assert.Contains(batched, r => r.StartsWith("t-b\n", StringComparison.Ordinal) && r.Contains("account.ban_evasion") && r.Contains("\"Outcome\":\"review\""));
        Assert.Contains(batched, r => r.StartsWith("t-d\n", StringComparison.Ordinal) && r.Contains("identifier:ip"));
        Assert.Equal(3, prepared.Single(c => c.ContentId == "t-s").Prepared<AccountFacts>()!.Strikes);
        Assert.Equal(1, prepared.Single(c => c.ContentId == "t-f").Prepared<AccountFacts>()!.LinkedFindings);
        Assert.True(prepared.Single(c => c.ContentId == "t-p").Prepared<AccountFacts>()!.Known);
        Assert.False(prepared.Single(c => c.ContentId == "t-u").Prepared<AccountFacts>()!.Known);
    }

    /// <summary>
    /// A strike a person adds by confirming a decision is in the account facts the next pipeline batch reads: the next
    /// violation bans at decision time (2 + 3 reaches 5), not only when the commit's settlement corrects a stale weight.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_strike_from_a_human_confirmation_is_seen_by_the_next_pipeline_decision(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await core.Get<EnforcementService>().AddFindingAsync("acct-7", new NewFinding("partner", "Recruits for Synthetic Front", null, "entity-1"), "investigator", default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "p1", Kind = "text", Text = "hello", Account = new AccountRef { Id = "acct-7" } }, null, default);
        await RunOnceAsync(core);
        var first = await DecisionOfAsync(core, "p1");
        Assert.DoesNotContain("account.strike", first.ActionsJson);

        // VE-DOI praise is not zero tolerance: the confirmation strikes with weight 2.
        var praise = await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, first.Id, "praise", null, "reviewer-1");
        Assert.True(praise.Applied, praise.Error);
        Assert.Contains("account.strike", praise.Actions.Select(a => a.Kind));

        await UploadAsync(core, "v2", "acct-7", Instruction, "synthetic instruction clip");
        Assert.Single((await RunOnceAsync(core)).Completed);
        var next = await DecisionOfAsync(core, "v2");
        Assert.Contains("account.ban", next.ActionsJson);
        Assert.DoesNotContain("account.suspend", next.ActionsJson);
        Assert.DoesNotContain("settled at commit", next.Explanation);
        Assert.Equal(5, (await core.Get<EnforcementService>().FactsAsync("acct-7", default)).Strikes);
    }
}
