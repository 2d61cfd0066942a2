using Bulwark.Server.Hosting;
using Bulwark.Server.Hosting.DemoPartners;

// `--demo` seeds synthetic demo data and prints a demo API key; it is ours, so take it out before the host reads the arguments.
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args.Where(a => a != "--demo").ToArray(),
    // appsettings.json ships beside the binary; relative data paths stay relative to the working directory.
    ContentRootPath = AppContext.BaseDirectory,
});
// --demo also serves two FAKE partner exchanges on loopback (Hosting/DemoPartners) and reads them.
if (demo) await builder.AddDemoExchangesAsync();
builder.AddBulwarkServer();

var app = builder.Build();
app.MapBulwark();
await app.PrepareAsync(demo);
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
