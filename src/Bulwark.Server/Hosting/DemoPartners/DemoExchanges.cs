using System.Security.Cryptography;
using Bulwark.Core.Ingest;
using Bulwark.Core.Signals.Exchange;
using SkiaSharp;

namespace Bulwark.Server.Hosting.DemoPartners;

/// <summary>
/// The partner part of <c>--demo</c> (issue 19). Two FAKE partners — a ThreatExchange privacy group and a TCAP account —
/// are served on loopback by this process (<see cref="FakeThreatExchange"/>, <see cref="FakeTcap"/>), configured as
/// exchanges <see cref="Tcap"/> and <see cref="ThreatExchange"/>, and filled with invented hashes of two generated
/// pictures and one threat-to-life alert. At seeding both are synchronised into their banks, then copies of the two
/// pictures are uploaded: the pipeline matches them and sends them to a person (queue <c>known-content</c>), and the alert
/// reaches queue <c>threat-to-life</c>. A moderator's decision on a match is sent back to the fake partner by the
/// exchange fetcher (every <see cref="TickSeconds"/> seconds) and shows as "sent" on <c>/exchanges</c>.
/// </summary>
public sealed class DemoExchanges(ExchangeSyncService sync, IngestService ingest, IMediaStore media, IngestOptions options, ILogger<DemoExchanges> log)
{
    public const string Tcap = "demo-tcap";
    public const string ThreatExchange = "demo-threatexchange";
    public const string TcapItem = "demo-partner-tcap-copy";
    /// <summary>The fake TCAP's record id for the picture's hash, and the invented group its alert names (routed as threat-to-life).</summary>
    public const long TcapHash = 1001;
    public const string TcapGroup = "DEMO Fictional Group (not a real organisation)";
    public const string ThreatExchangeItem = "demo-partner-te-copy";
    public const string PrivacyGroup = "1000000000000001";
    public const int TickSeconds = 10;

    /// <summary>The generated picture on the fake TCAP's hash list, and the one on the fake ThreatExchange group's.</summary>
    public static byte[] TcapPicture => Picture(17, new SKColor(30, 110, 60));
    public static byte[] ThreatExchangePicture => Picture(29, new SKColor(120, 30, 90));

    /// <summary>
    /// Starts both fakes on loopback with their demo data and answers the configuration that points two exchanges at them
    /// (appended after any partners already configured; 127.0.0.1 allowed as an internal partner).
    /// </summary>
    public static async Task<(FakeTcap Tcap, FakeThreatExchange ThreatExchange, Dictionary<string, string?> Settings)> StartFakesAsync(IConfiguration configuration)
    {
        var tcap = await FakeTcap.StartAsync();
        var te = await FakeThreatExchange.StartAsync();
        var tcapPicture = TcapPicture;
        var tePicture = ThreatExchangePicture;
        tcap.Add(TcapHash, "MD5", Convert.ToHexStringLower(MD5.HashData(tcapPicture)));
        tcap.Add(TcapHash + 1, "MD5", Convert.ToHexStringLower(MD5.HashData("DEMO: bytes of a clip that is never uploaded"u8)));
        tcap.Alerts.Add(new FakeTcap.AlertItem(1, "https://platform.example/demo/post/threat", TcapGroup));
        te.Indicators.Add(new FakeThreatExchange.Indicator("900001", "HASH_MD5", Convert.ToHexStringLower(MD5.HashData(tePicture)), 1_767_225_600, false, Tags: ["demo"]));
        te.Indicators.Add(new FakeThreatExchange.Indicator("900002", "URI", "https://fictional-propaganda.example/demo", 1_767_225_601, false, Tags: ["demo"]));

        var at = configuration.GetSection($"{ExchangeOptions.Section}:Partners").GetChildren().Count();
        var allowed = configuration.GetSection($"{ExchangeOptions.Section}:AllowedInternal").GetChildren().Count();
        var p = $"{ExchangeOptions.Section}:Partners";
        var settings = new Dictionary<string, string?>
        {
            [$"{ExchangeOptions.Section}:AllowedInternal:{allowed}"] = "127.0.0.1",
            [$"{ExchangeOptions.Section}:TickSeconds"] = configuration[$"{ExchangeOptions.Section}:TickSeconds"] ?? TickSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{p}:{at}:Name"] = Tcap, [$"{p}:{at}:Kind"] = ExchangeKinds.Tcap, [$"{p}:{at}:Url"] = tcap.Server.Url, [$"{p}:{at}:Bank"] = "demo-tcap-hashes",
            [$"{p}:{at}:Username"] = FakeTcap.Username, [$"{p}:{at}:Password"] = FakeTcap.Password, [$"{p}:{at}:AlertTiers:{TcapGroup}"] = AlertTiers.ThreatToLife,
            [$"{p}:{at}:IntervalMinutes"] = "1", [$"{p}:{at}:Labels:0"] = "partner:tcap", [$"{p}:{at}:Labels:1"] = "demo",
            [$"{p}:{at + 1}:Name"] = ThreatExchange, [$"{p}:{at + 1}:Kind"] = ExchangeKinds.ThreatExchange, [$"{p}:{at + 1}:Url"] = te.Server.Url,
            [$"{p}:{at + 1}:Bank"] = "demo-threatexchange", [$"{p}:{at + 1}:PrivacyGroup"] = PrivacyGroup, [$"{p}:{at + 1}:Token"] = FakeThreatExchange.Token,
            [$"{p}:{at + 1}:IntervalMinutes"] = "1", [$"{p}:{at + 1}:Labels:0"] = "partner:threatexchange", [$"{p}:{at + 1}:Labels:1"] = "demo",
        };
        return (tcap, te, settings);
    }

    /// <summary>Synchronises both fakes into their banks, then uploads copies of their pictures for the pipeline to match.</summary>
    public async Task SeedAsync(CancellationToken ct)
    {
        if (!sync.Configured(Tcap) || !sync.Configured(ThreatExchange)) return; // not started with --demo's fakes
        foreach (var name in new[] { Tcap, ThreatExchange })
        {
            var r = await sync.SyncAsync(name, "demo", ct);
            if (!r.Ok) log.LogWarning("Demo: the fake partner {Exchange} did not synchronise: {Error}", name, r.Fetch.Error);
        }
        await UploadAsync(TcapItem, TcapPicture, "DEMO: a copy of a generated picture on the fake TCAP hash list", ct);
        await UploadAsync(ThreatExchangeItem, ThreatExchangePicture, "DEMO: a copy of a generated picture shared in the fake ThreatExchange group", ct);
    }

    private async Task UploadAsync(string id, byte[] bytes, string text, CancellationToken ct)
    {
        const string part = "picture.png", mime = "image/png";
        var stored = await media.PutAsync(new MemoryStream(bytes), options.MaxMediaBytes(mime), ct);
        await ingest.AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "image", Account = new AccountRef { Id = "demo-acct-3", Handle = "demo_partner_match" }, Text = text, Language = "en",
            Media = [new MediaRef { Part = part, MimeType = mime }], Source = new EventSource { Type = "upload" },
        }, new Dictionary<string, StoredMedia> { [part] = new(part, stored.Sha256!, stored.Size, mime) }, ct);
    }

    /// <summary>A deterministic generated picture of stripes and squares (nothing like the known-content demo's picture).</summary>
    internal static byte[] Picture(int seed, SKColor tint)
    {
        const int width = 800, height = 450;
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { IsAntialias = false };
            var random = new Random(seed);
            for (var x = 0; x < width; x += 40)
            {
                paint.Color = random.Next(2) == 0 ? tint : SKColors.Black;
                canvas.DrawRect(x, 0, 20, height, paint);
            }
            for (var i = 0; i < 12; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawRect(random.Next(width - 120), random.Next(height - 120), random.Next(40, 120), random.Next(40, 120), paint);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

/// <summary>The running fakes: the demo keeps them for the life of the process; a test disposes them.</summary>
public sealed class DemoPartnerFakes(FakeTcap tcap, FakeThreatExchange threatExchange) : IAsyncDisposable
{
    public FakeTcap Tcap { get; } = tcap;
    public FakeThreatExchange ThreatExchange { get; } = threatExchange;

    public async ValueTask DisposeAsync()
    {
        await Tcap.Server.DisposeAsync();
        await ThreatExchange.Server.DisposeAsync();
    }
}

public static class DemoExchangesSetup
{
    /// <summary><c>--demo</c>: starts the fake partners and configures two exchanges that read them (one line in Program.cs).</summary>
    public static async Task AddDemoExchangesAsync(this WebApplicationBuilder builder)
    {
        var (tcap, te, settings) = await DemoExchanges.StartFakesAsync(builder.Configuration);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(new DemoPartnerFakes(tcap, te));
    }
}
