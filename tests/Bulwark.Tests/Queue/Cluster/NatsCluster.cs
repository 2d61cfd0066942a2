using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.Queue.JetStream;

namespace Bulwark.Tests.Queue.Cluster;

/// <summary>
/// Three nats-server processes (Debian's binary, found as <see cref="NatsServerProcess.Binary"/>) forming one JetStream
/// cluster on loopback ports, each with its own store, written the way scripts/cluster.sh writes them. A node can be stopped
/// and started again on the same ports and store.
/// </summary>
public sealed class NatsCluster : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "bulwark-tests", "nats-cluster-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly int[] _ports = [Api.LocalOrigin.FreePort(), Api.LocalOrigin.FreePort(), Api.LocalOrigin.FreePort()];
    private readonly int[] _routes = [Api.LocalOrigin.FreePort(), Api.LocalOrigin.FreePort(), Api.LocalOrigin.FreePort()];
    private readonly Process?[] _nodes = new Process?[3];

    /// <summary>Every node's client URL, comma-separated (what <c>Bulwark:Queue:JetStream:Url</c> takes).</summary>
    public string Urls => string.Join(",", _ports.Select(p => $"nats://127.0.0.1:{p}"));

    public async Task StartAsync()
    {
        for (var i = 0; i < 3; i++) WriteConfig(i);
        for (var i = 0; i < 3; i++) Launch(i);
        for (var i = 0; i < 3; i++) await WaitListeningAsync(i);
    }

    public void Stop(int node)
    {
        if (_nodes[node] is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(10_000);
        }
        _nodes[node]?.Dispose();
        _nodes[node] = null;
    }

    public async Task RestartAsync(int node)
    {
        Stop(node);
        Launch(node);
        await WaitListeningAsync(node);
    }

    private void WriteConfig(int i)
    {
        var dir = Path.Combine(_dir, $"n{i + 1}");
        Directory.CreateDirectory(dir);
        var routes = string.Join(", ", _routes.Select(p => $"nats-route://127.0.0.1:{p}"));
        File.WriteAllText(Path.Combine(dir, "nats.conf"), $$"""
            server_name: test-n{{i + 1}}
            listen: 127.0.0.1:{{_ports[i].ToString(CultureInfo.InvariantCulture)}}
            jetstream { store_dir: "{{Path.Combine(dir, "store")}}" }
            cluster {
              name: bulwark-test
              listen: 127.0.0.1:{{_routes[i].ToString(CultureInfo.InvariantCulture)}}
              routes: [ {{routes}} ]
            }
            """);
    }

    private void Launch(int i)
    {
        var p = Process.Start(new ProcessStartInfo(NatsServerProcess.Binary, ["-c", Path.Combine(_dir, $"n{i + 1}", "nats.conf")])
        { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _nodes[i] = p;
    }

    private async Task WaitListeningAsync(int i)
    {
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            if (_nodes[i] is not { } p || p.HasExited) Assert.Fail($"nats-server node {i + 1} exited");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", _ports[i]);
                return true;
            }
            catch (SocketException) { return false; }
        }), $"nats-server node {i + 1} did not start");
    }

    public void Dispose()
    {
        for (var i = 0; i < 3; i++) Stop(i);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
