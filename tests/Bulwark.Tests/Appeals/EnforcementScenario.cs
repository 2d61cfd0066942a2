using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Appeals;

/// <summary>Drives synthetic events through the real rules so appeals and preservation act on real decisions.</summary>
internal static class EnforcementScenario
{
    public const string Instruction = "radicalisation-recruitment-or-instruction";
    /// <summary>A bank label the extra zero-tolerance rule acts on: confirmed VE-DOI support removes, strikes and bans.</summary>
    public const string DoiSupport = "synthetic-doi-support";

    public static async Task ActivateZeroToleranceRuleAsync(CoreServices core)
    {
        var files = ShippedPolicy.Rules().Select(r => new RuleFile(r.Name, r.Text)).ToList();
        files.Add(new RuleFile("zero-tolerance.rules",
            $"rule doi-confirmed-support enforce {{\n  policy VE-DOI\n  when any hash.match[label \"{DoiSupport}\"]\n  then remove, strike, ban\n  explain \"Confirmed support for a designated organisation\"\n}}\n"));
        var change = await core.Get<PolicyStore>().ActivateAsync(files, "policy-admin", default);
        Assert.True(change.Applied, string.Join("\n", change.Errors));
    }

    /// <summary>Uploads a generated file whose MD5 is in a bank with <paramref name="label"/>, from <paramref name="account"/>.</summary>
    public static Task<string> UploadAsync(CoreServices core, string id, string account, string label, string content) =>
        UploadAsync(core.Services, id, account, label, content);

    public static async Task<string> UploadAsync(IServiceProvider services, string id, string account, string label, string content)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var stored = await services.GetRequiredService<IMediaStore>().PutAsync(new MemoryStream(bytes), 1000, default);
        var banks = services.GetRequiredService<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "bank")) await banks.CreateAsync("bank", null, "tester", default);
        await banks.AddExactAsync("bank", "md5", stored.Md5!, [label], "tester", default);
        var uploads = new Dictionary<string, StoredMedia> { ["f.bin"] = new("f.bin", stored.Sha256!, stored.Size, "video/mp4") };
        await services.GetRequiredService<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "video", Account = new AccountRef { Id = account }, Media = [new MediaRef { Part = "f.bin" }],
        }, uploads, default);
        return stored.Sha256!;
    }

    public static async Task<BatchOutcome> RunOnceAsync(CoreServices core)
    {
        var queue = core.Get<IWorkQueue>();
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await queue.FailAsync(outcome.Failed, default);
        return outcome;
    }

    public static async Task<DecisionRow> DecisionOfAsync(CoreServices core, string contentId)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Decisions.AsNoTracking().SingleAsync(d => d.ContentId == contentId);
    }
}
