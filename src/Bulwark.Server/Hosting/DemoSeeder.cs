using Bulwark.Core.Accounts;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Bulwark.Server.Hosting;

/// <summary>
/// Seeds clearly labelled synthetic demo data: accounts, content items and one exact-hash bank whose entry is a generated
/// image, so the pipeline can be watched catching a re-upload. Nothing here is real content or a real person.
/// </summary>
public sealed class DemoSeeder(
    IBulwarkDbFactory dbs, BankService banks, AccountService accounts, IngestService ingest, IMediaStore media, ApiKeyService keys, IngestOptions options,
    DemoKnownContent knownContent, DemoEntities demoEntities, AppealService appeals)
{
    public const string BankName = "demo-exact";
    /// <summary>Removed automatically (known material announcing an attack); <see cref="SubmitDemoAppealAsync"/> appeals it.</summary>
    public const string AppealedItem = "demo-review-appealed";
    /// <summary>Fictional captions praising an invented attack: the glorification queue.</summary>
    public static readonly (string Id, string Language, string Text, long Views)[] GlorificationItems =
    [
        ("demo-glorify-en", "en", "DEMO: fictional caption — glory to the hero who attacked the Vellmoor festival, may others follow him", 5400),
        ("demo-glorify-it", "it", "DEMO: didascalia inventata — gloria all'eroe che ha attaccato il festival di Vellmoor, un vero martire, che altri seguano il suo esempio", 870),
    ];

    /// <summary>
    /// Fictional threats naming a time and a place, in English and Italian: the violent-speech analyser finds them, the shipped
    /// rules restrict them at once and escalate them to threat-to-life, and the decision's explanation quotes the analyser.
    /// </summary>
    public static readonly (string Id, string Language, string Text)[] ThreatItems =
    [
        ("demo-threat-en", "en", "DEMO: fictional comment — next Friday I will stab the teacher in front of the class at Vellmoor school"),
        ("demo-threat-it", "it", "DEMO: commento inventato — venerdì prossimo accoltello il professore davanti alla classe, a Vellmoor"),
    ];

    /// <summary>A caption naming an invented designated terrorist organisation: the doi queue.</summary>
    public const string DoiItem = "demo-review-doi";

    public async Task<string> SeedAsync(CancellationToken ct)
    {
        var (_, key) = await keys.CreateAsync("demo", Scopes.All, "demo", ct);
        await demoEntities.SeedAsync(ct);
        await using (var db = dbs.Create())
            if (await db.Banks.AnyAsync(b => b.Name == BankName, ct)) return key; // seeded on an earlier start

        await banks.CreateAsync(BankName, "DEMO: synthetic exact-hash list (generated images, not real content)", "demo", ct);
        var image = DemoImage();
        var stored = await media.PutAsync(new MemoryStream(image), options.MaxImageBytes, ct);
        await banks.AddExactAsync(BankName, "sha256", stored.Sha256!, ["glorification of terrorist acts", "demo"], "demo", ct);

        await accounts.UpsertAsync(new AccountProfile { Id = "demo-acct-1", Handle = "demo_creator", DisplayName = "Demo Creator (synthetic)", Bio = "Synthetic demo account", Country = "IT" }, "demo", ct);
        await accounts.UpsertAsync(new AccountProfile { Id = "demo-acct-2", Handle = "demo_reuploader", DisplayName = "Demo Re-uploader (synthetic)", Bio = "Synthetic demo account", Country = "GB" }, "demo", ct);

        var uploads = new Dictionary<string, StoredMedia> { ["banner.png"] = new("banner.png", stored.Sha256!, stored.Size, "image/png") };
        await ingest.AcceptOneAsync(new ContentEvent
        {
            Id = "demo-video-known", Kind = "image", Account = new AccountRef { Id = "demo-acct-2", Handle = "demo_reuploader" },
            Text = "DEMO: a re-upload of an image that is on the demo hash list", Language = "en", Region = "GB",
            Media = [new MediaRef { Part = "banner.png", MimeType = "image/png" }], Source = new EventSource { Type = "upload" },
        }, uploads, ct);
        await ingest.AcceptManyAsync(
        [
            new ContentEvent { Id = "demo-text-1", Kind = "text", Account = new AccountRef { Id = "demo-acct-1" }, Text = "DEMO: a harmless caption about cooking pasta", Language = "en", Region = "IT" },
            new ContentEvent { Id = "demo-comment-1", Kind = "comment", ParentId = "demo-text-1", Account = new AccountRef { Id = "demo-acct-2" }, Text = "DEMO: che buona ricetta!", Language = "it", Region = "IT" },
            new ContentEvent { Id = "demo-report-1", Kind = "video", Account = new AccountRef { Id = "demo-acct-1" }, Text = "DEMO: a video reported by a trusted flagger", Language = "en", Source = new EventSource { Type = "trusted_flagger", Reference = "demo-flag-1" } },
        ], ct);
        await knownContent.SeedAsync(ct);
        await SeedReviewCasesAsync(ct);
        return key;
    }

    /// <summary>
    /// Synthetic items the rules send to people, so the review queues are not empty: a re-upload of a (generated, fictional)
    /// clip announcing an attack, removed and escalated to threat-to-life, and a trusted flagger's report of a clip on a
    /// review-only list (known-content, ranked first). The bytes are text, not media: only their hashes matter.
    /// </summary>
    private async Task SeedReviewCasesAsync(CancellationToken ct)
    {
        await ingest.AcceptOneAsync(new ContentEvent
        {
            Id = DoiItem, Kind = "text", Account = new AccountRef { Id = "demo-acct-2" }, Language = "en", ViewCount = 340,
            Text = $"DEMO: fictional caption — proud to stand with the {DemoEntities.CinderOath}. <b>not markup</b>", Hashtags = ["cinderoath"],
            Source = new EventSource { Type = "user_report", Reference = "demo-report-3" },
        }, new Dictionary<string, StoredMedia>(), ct);
        // Praise of an invented attack on an invented festival, in English and Italian: the classifier's glorification head
        // sends each to the glorification queue (rule glorify-classifier-review).
        foreach (var (id, lang, text, views) in GlorificationItems)
            await ingest.AcceptOneAsync(new ContentEvent
            {
                Id = id, Kind = "text", Account = new AccountRef { Id = "demo-acct-1" }, Language = lang, ViewCount = views, Text = text,
            }, new Dictionary<string, StoredMedia>(), ct);
        foreach (var (id, lang, text) in ThreatItems)
            await ingest.AcceptOneAsync(new ContentEvent
            {
                Id = id, Kind = "comment", Account = new AccountRef { Id = "demo-acct-2" }, Language = lang, ViewCount = 12, Text = text,
            }, new Dictionary<string, StoredMedia>(), ct);
        (string Id, string Label, string? Source)[] items =
        [
            ("demo-review-threat", "imminent-credible-threat", "upload"),
            ("demo-review-flagged", "demo-review-only", "trusted_flagger"),
            (AppealedItem, "imminent-credible-threat", "upload"),
        ];
        foreach (var (id, label, source) in items)
        {
            var stored = await media.PutAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"DEMO synthetic clip {id}: not real content")), options.MaxVideoBytes, ct);
            await banks.AddExactAsync(BankName, "md5", stored.Md5!, [label, "demo"], "demo", ct);
            await ingest.AcceptOneAsync(new ContentEvent
            {
                Id = id, Kind = "video", Account = new AccountRef { Id = "demo-acct-2" }, Text = $"DEMO: synthetic item for the review queues ({label})",
                Language = "en", ViewCount = 1200, Media = [new MediaRef { Part = "clip.bin", MimeType = "video/mp4" }],
                Source = new EventSource { Type = source, Reference = source == "upload" ? null : "demo-flag-2" },
            }, new Dictionary<string, StoredMedia> { ["clip.bin"] = new("clip.bin", stored.Sha256!, stored.Size, "video/mp4") }, ct);
        }
    }

    /// <summary>
    /// Once the pipeline has decided <see cref="AppealedItem"/> (removed automatically), its synthetic author appeals, so the
    /// appeals queue has a case to work. Runs after start-up because workers decide asynchronously; waits at most two minutes.
    /// </summary>
    public async Task SubmitDemoAppealAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < 240 && !ct.IsCancellationRequested; attempt++)
        {
            await using (var db = dbs.Create())
            {
                var decision = await db.Decisions.AsNoTracking().Where(d => d.ContentId == AppealedItem).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct);
                if (decision is { } id)
                {
                    if (!await db.Set<AppealRow>().AnyAsync(a => a.DecisionId == id, ct))
                        await appeals.SubmitAsync(new NewAppeal(id, null, "DEMO: synthetic appeal — \"this clip is a film trailer, not a threat\""), "demo", ct);
                    return;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    /// <summary>A deterministic synthetic banner: coloured shapes and the word DEMO.</summary>
    public static byte[] DemoImage()
    {
        using var bitmap = new SKBitmap(320, 180);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(30, 30, 60));
            using var paint = new SKPaint { Color = new SKColor(200, 60, 40), IsAntialias = false };
            canvas.DrawRect(20, 20, 120, 140, paint);
            paint.Color = new SKColor(240, 200, 40);
            canvas.DrawCircle(230, 90, 60, paint);
            paint.Color = SKColors.White;
            canvas.DrawRect(160, 150, 140, 10, paint);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
