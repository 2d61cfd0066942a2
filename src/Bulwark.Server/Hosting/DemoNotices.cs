using Bulwark.Core.Ingest;
using Bulwark.Core.Notices;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Hosting;

/// <summary>
/// The notices walk-through for <c>--demo</c> (issue 19): an invented trusted flagger in the registry, and two synthetic posts
/// that no detector flags, each named by a notice once the pipeline has decided it — a member of the public's and the trusted
/// flagger's — so the <c>notices</c> queue shows the flagger's case first. A notice sent through <c>/report</c> (content id
/// <see cref="FormItem"/>) reaches the same queue; its decision appears under Notices as sent to the notifier.
/// </summary>
public sealed class DemoNotices(IBulwarkDbFactory dbs, IngestService ingest, NoticeService notices, TrustedFlaggers flaggers)
{
    public const string Flagger = "Example Safety Foundation (DEMO)";
    public const string UserItem = "demo-notice-user";
    public const string FlaggerItem = "demo-notice-flagger";
    /// <summary>A harmless post to report through the public form.</summary>
    public const string FormItem = "demo-notice-form";

    public async Task SeedAsync(CancellationToken ct)
    {
        await using (var db = dbs.Create())
            if (await db.Set<TrustedFlaggerRow>().AnyAsync(f => f.Organisation == Flagger, ct)) return; // seeded on an earlier start
        await flaggers.CreateAsync(new TrustedFlaggerInput(Flagger, "DEMO: violent extremist content in English and Italian", "DEMO: Digital Services Coordinator (IT)", "desk@safety.example"), "demo", ct);
        await ingest.AcceptManyAsync(
        [
            new ContentEvent { Id = UserItem, Kind = "text", Account = new AccountRef { Id = "demo-acct-1" }, Text = "DEMO: a caption a member of the public reports", Language = "en" },
            new ContentEvent { Id = FlaggerItem, Kind = "text", Account = new AccountRef { Id = "demo-acct-2" }, Text = "DEMO: a caption a trusted flagger reports", Language = "en" },
            new ContentEvent { Id = FormItem, Kind = "text", Account = new AccountRef { Id = "demo-acct-1" }, Text = "DEMO: a caption to report through /report", Language = "en" },
        ], ct);
    }

    /// <summary>After start-up: waits (at most two minutes) for the pipeline's decisions, then sends the two notices; the user's first.</summary>
    public async Task SendDemoNoticesAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < 240 && !ct.IsCancellationRequested; attempt++)
        {
            await using (var db = dbs.Create())
            {
                if (await db.Set<NoticeRow>().AnyAsync(n => n.ContentId == UserItem, ct)) return;
                if (await db.Decisions.CountAsync(d => d.ContentId == UserItem || d.ContentId == FlaggerItem, ct) == 2)
                {
                    var flagger = await db.Set<TrustedFlaggerRow>().AsNoTracking().FirstAsync(f => f.Organisation == Flagger, ct);
                    await notices.SubmitAsync(new NoticeSubmission(UserItem, null, "DEMO: the caption praises an invented attack.",
                        new NotifierInput("Demo Notifier", "demo.notifier@example.org"), true), "api", ct);
                    await notices.SubmitAsync(new NoticeSubmission(FlaggerItem, null, "DEMO: the caption supports an invented designated group.",
                        new NotifierInput(null, "desk@safety.example"), true, flagger.Id), "api", ct);
                    return;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }
}
