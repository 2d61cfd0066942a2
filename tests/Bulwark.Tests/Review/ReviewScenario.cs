using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Review;

/// <summary>Synthetic uploads through the real pipeline and rules, so review cases come from real decisions.</summary>
internal static class ReviewScenario
{
    /// <summary>Any label the shipped rules do not act on: the known-content rule sends the match to review (VE-GLORIFY).</summary>
    public const string Reviewable = "synthetic-review-label";
    /// <summary>The shipped threat rule removes and escalates to threat-to-life.</summary>
    public const string Imminent = "imminent-credible-threat";

    public static readonly ReviewUser Alice = new("alice", ConsoleRoles.Moderator);
    public static readonly ReviewUser Bob = new("bob", ConsoleRoles.Moderator);
    public static readonly ReviewUser Sam = new("sam", ConsoleRoles.SeniorModerator);
    public static readonly ReviewUser Lea = new("lea", ConsoleRoles.LegalOfficer);
    public static readonly ReviewUser Audrey = new("audrey", ConsoleRoles.Auditor);

    public static Task<CoreServices> CreateAsync(DatabaseProvider provider, double qaRate = 0, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Bulwark:Review:QaSampleRate"] = qaRate.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return CoreServices.CreateAsync(provider, settings);
    }

    /// <summary>Uploads a generated file whose MD5 is in bank <c>bank</c> with <paramref name="label"/>.</summary>
    public static async Task UploadAsync(CoreServices core, string id, string account, string label, string? source = null, long? views = null, string? text = null)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("synthetic clip " + id);
        var stored = await core.Get<IMediaStore>().PutAsync(new MemoryStream(bytes), 1000, default);
        var banks = core.Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "bank")) await banks.CreateAsync("bank", null, "tester", default);
        await banks.AddExactAsync("bank", "md5", stored.Md5!, [label], "tester", default);
        var uploads = new Dictionary<string, StoredMedia> { ["f.bin"] = new("f.bin", stored.Sha256!, stored.Size, "video/mp4") };
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "video", Account = new AccountRef { Id = account }, Media = [new MediaRef { Part = "f.bin" }], Text = text,
            ViewCount = views, Source = source is null ? null : new EventSource { Type = source, Reference = source == "upload" ? null : "ref-" + id },
        }, uploads, default);
    }

    public static Task RunAsync(CoreServices core) => Appeals.EnforcementScenario.RunOnceAsync(core);

    public static async Task<ReviewCaseRow> CaseOfAsync(CoreServices core, string contentId, string? queue = null)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == contentId && (queue == null || c.Queue == queue)).OrderBy(c => c.Id).FirstAsync();
    }

    public static async Task<ReviewClaim> ClaimAsync(CoreServices core, long caseId, ReviewUser user)
    {
        var r = await core.Get<ReviewQueueService>().ClaimAsync(caseId, user, default);
        Assert.True(r.Ok, r.Message);
        return r.Value!;
    }

    public static ReviewDecisionRequest Violation(ReviewClaim claim, string policy = "VE-GLORIFY", string[]? actions = null, string? submission = null) =>
        new(claim.CaseId, claim.Token, ReviewVerdict.Violation, policy, actions ?? ["content.remove", "account.strike"], null, "Synthetic clip praises an attack.", submission ?? Guid.NewGuid().ToString("N"));

    public static ReviewDecisionRequest NoViolation(ReviewClaim claim, string? submission = null) =>
        new(claim.CaseId, claim.Token, ReviewVerdict.NoViolation, null, null, null, null, submission ?? Guid.NewGuid().ToString("N"));
}
