using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Records;

/// <summary>
/// A statement of reasons is public: exported statements and user notices name the policy, the ground, the measures and
/// whether automated means were used, never the hash bank, its entry, the partner list it came from, the rule that fired or
/// the strike thresholds (issue 17, item 4).
/// </summary>
public class StatementInternalsTests
{
    private const string Instruction = "radicalisation-recruitment-or-instruction";
    private const string Bank = "kestrel-internal-bank";
    private const string Partner = "osprey-partner-exchange";
    private const string Entity = "entity-harrier-17";

    private static async Task UploadAsync(CoreServices core, string id, string account, string content)
    {
        var stored = await core.Get<IMediaStore>().PutAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), 1000, default);
        var banks = core.Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != Bank)) await banks.CreateAsync(Bank, null, "tester", default);
        var added = await banks.AddEntriesAsync(Bank, [new NewEntry("md5", stored.Md5!, [Instruction], Entity, Partner)], skipInvalid: false, "tester", default);
        Assert.Empty(added.Errors);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "video", Language = "it", Account = new AccountRef { Id = account }, Media = [new MediaRef { Part = "f.bin" }],
        }, new Dictionary<string, StoredMedia> { ["f.bin"] = new("f.bin", stored.Sha256!, stored.Size, "video/mp4") }, default);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Exported_statements_and_notices_name_no_bank_entry_partner_rule_or_threshold(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        // Two removals by one account in one batch: a hash match on a partner's entry, the rule that removes, and strike
        // thresholds settled at commit (the second one bans).
        await UploadAsync(core, "internals-1", "acct-internals", "first synthetic instruction clip");
        await UploadAsync(core, "internals-2", "acct-internals", "second synthetic instruction clip");
        var queue = core.Get<IWorkQueue>();
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        Assert.Equal(2, outcome.Completed.Count);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var decisions = await db.Decisions.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
        var rules = decisions.SelectMany(d => JsonSerializer.Deserialize<List<FiredRule>>(d.FiredJson, JsonSerializerOptions.Web) ?? []).Select(r => r.Rule).Distinct().ToList();
        // The internal explanations do name them: that is what must not leak.
        var explanations = string.Join("\n", decisions.Select(d => d.Explanation + d.FiredJson));
        Assert.Contains(Bank, explanations);
        Assert.Contains("settled at commit", explanations);
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.Contains(r, explanations));

        var dir = Path.Combine(Path.GetTempPath(), "bulwark-internals-" + Guid.NewGuid().ToString("N"));
        try
        {
            var export = await core.Get<StatementOfReasonsService>().ExportAsync(DateTimeOffset.UnixEpoch, dir, default);
            Assert.Empty(export.Invalid);
            var exported = string.Join("\n", export.Files.Select(File.ReadAllText));
            using var parsed = JsonDocument.Parse(File.ReadAllText(Assert.Single(export.Files)));
            var statements = parsed.RootElement.GetProperty("statements").EnumerateArray().ToList();
            Assert.Equal(2, statements.Count);
            Assert.Contains(statements, s => s.GetProperty("decision_account").GetString() == "DECISION_ACCOUNT_TERMINATED");

            var policy = PolicyCatalogue.Default.Find(decisions[0].Policy!)!;
            var notices = new List<string>();
            foreach (var s in statements)
            {
                var statement = StatementOfReasons.FromJson(s.GetRawText());
                // Fully automated, and said so: no "sent to review" when no person was involved.
                Assert.Equal("AUTOMATED_DECISION_FULLY", statement.AutomatedDecision);
                Assert.Contains("without a person reviewing it", statement.DecisionFacts);
                Assert.Contains(policy.Name!.En!, statement.DecisionFacts);
                foreach (var language in new[] { "en", "it" })
                    notices.Add(SorNotice.Render(statement, new NoticeContext(policy.Name.For(language)!, policy.Explanation!.For(language)!,
                        "https://platform.example/appeal", new DateOnly(2026, 12, 1)), language));
            }
            foreach (var text in notices.Prepend(exported))
            {
                foreach (var secret in new[] { Bank, Partner, Entity, "bank", "entry", "partner", "rule", "threshold", "settled", "strike weight", "Sent to review", "hash", "md5", "distance" }.Concat(rules))
                    Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
