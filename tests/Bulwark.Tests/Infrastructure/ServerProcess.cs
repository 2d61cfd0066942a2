using System.Diagnostics;

namespace Bulwark.Tests.Infrastructure;

/// <summary>Bulwark.Server as a real child process (for crash tests), configured through environment variables.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string[] _args;
    private Process? _process;
    private readonly System.Text.StringBuilder _output = new();
    public string Url { get; }

    /// <param name="args">Extra command-line arguments (e.g. <c>--demo</c>).</param>
    public ServerProcess(Dictionary<string, string?> settings, params string[] args)
    {
        _settings = settings;
        _args = args;
        Url = $"http://127.0.0.1:{Api.LocalOrigin.FreePort()}";
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Bulwark.Server.dll"), "--urls", Url, .. _args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (k, v) in _settings) psi.Environment[k.Replace(":", "__")] = v;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var live = await Eventually.UntilAsync(async () =>
        {
            if (_process.HasExited) Assert.Fail($"server exited with {_process.ExitCode}:\n{Output}");
            try { return (await http.GetAsync($"{Url}/health/live")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        });
        if (!live) Assert.Fail($"server did not start within {Eventually.Deadline.TotalMinutes} minutes:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — the way a machine or container dies.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
