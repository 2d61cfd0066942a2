using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Bulwark.Core.Ingest;
using FsCheck;
using FsCheck.Xunit;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Ingest;

/// <summary>
/// The one address guard every outbound connection goes through (media fetches, webhooks): each literal form of a
/// forbidden address in a URL, and the same addresses as a resolver would return them at connect time.
/// </summary>
public class AddressGuardTests
{
    private static readonly AddressGuard Guard = new([]);

    [Theory]
    // IPv4 and the literal forms a URL parser or inet_aton accepts for it
    [InlineData("http://127.0.0.1/", "loopback")]
    [InlineData("http://2130706433/", "loopback")]          // decimal
    [InlineData("http://017700000001/", "loopback")]        // octal, one part
    [InlineData("http://0177.0.0.1/", "loopback")]          // octal
    [InlineData("http://0x7f.0.0.1/", "loopback")]          // hex
    [InlineData("http://0x7f000001/", "loopback")]          // hex, one part
    [InlineData("http://127.1/", "loopback")]               // short form
    [InlineData("http://127.0.0.1./", "loopback")]          // trailing dot (the URL parser keeps it as a DNS name)
    [InlineData("http://0x7f.1./", "loopback")]
    [InlineData("http://08.0.0.1/", "numeric host")]        // not an address, and no DNS name either
    [InlineData("http://0/", "unspecified")]
    [InlineData("http://0.0.0.0/", "unspecified")]
    [InlineData("http://10.1.2.3/", "private")]
    [InlineData("http://172.16.5.4/", "private")]
    [InlineData("http://192.168.1.1/", "private")]
    [InlineData("http://100.64.0.1/", "shared address space")]
    [InlineData("http://169.254.169.254/", "link-local")]
    [InlineData("http://224.0.0.1/", "multicast")]
    [InlineData("http://255.255.255.255/", "broadcast")]
    [InlineData("http://240.0.0.1/", "reserved")]
    [InlineData("http://192.0.0.8/", "IETF protocol assignments")]
    [InlineData("http://192.0.2.1/", "documentation")]
    [InlineData("http://198.51.100.7/", "documentation")]
    [InlineData("http://203.0.113.9/", "documentation")]
    [InlineData("http://198.18.0.1/", "benchmarking")]
    [InlineData("http://192.88.99.1/", "reserved")]
    // IPv6
    [InlineData("http://[::1]/", "loopback")]
    [InlineData("http://[::]/", "unspecified")]
    [InlineData("http://[::ffff:127.0.0.1]/", "loopback")]                          // IPv4-mapped
    [InlineData("http://[::ffff:a9fe:a9fe]/", "link-local")]                         // IPv4-mapped, hex
    [InlineData("http://[::ffff:192.168.0.1]/", "private")]
    [InlineData("http://[::127.0.0.1]/", "IPv4-compatible")]                         // IPv4-compatible (deprecated)
    [InlineData("http://[::169.254.169.254]/", "IPv4-compatible")]
    [InlineData("http://[::8.8.8.8]/", "IPv4-compatible")]                           // refused even for a public IPv4
    [InlineData("http://[64:ff9b::169.254.169.254]/", "link-local")]                 // NAT64 well-known prefix
    [InlineData("http://[64:ff9b::7f00:1]/", "loopback")]
    [InlineData("http://[64:ff9b:1::a00:1]/", "local-use NAT64")]                    // RFC 8215, never global
    [InlineData("http://[2002:a9fe:a9fe::]/", "link-local")]                          // 6to4 of 169.254.169.254
    [InlineData("http://[2002:7f00:1::1]/", "loopback")]
    [InlineData("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "loopback")]       // Teredo, client 127.0.0.1 (obfuscated)
    [InlineData("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "private")]        // Teredo, client 10.0.0.1
    [InlineData("http://[2001:0:a00:1:8000:63bf:f7f7:f7f7]/", "private")]            // Teredo, server 10.0.0.1
    [InlineData("http://[fc00::1]/", "unique local")]
    [InlineData("http://[fd12:3456::1]/", "unique local")]
    [InlineData("http://[fe80::1]/", "link-local")]
    [InlineData("http://[fe80::1%25eth0]/", "link-local")]
    [InlineData("http://[fec0::1]/", "site-local")]
    [InlineData("http://[ff02::1]/", "multicast")]
    [InlineData("http://[2001:db8::1]/", "documentation")]
    [InlineData("http://[3fff::1]/", "documentation")]
    [InlineData("http://[2001:2::1]/", "benchmarking")]
    [InlineData("http://[100::1]/", "discard")]
    [InlineData("http://[4000::1]/", "reserved")]
    // names
    [InlineData("http://localhost:8080/", "local host name")]
    [InlineData("http://metadata.internal/", "local host name")]
    public void Forbidden_targets_are_refused_in_every_literal_form(string url, string why)
    {
        var refusal = Guard.CheckUrl(url);
        Assert.NotNull(refusal);
        Assert.Contains(why, refusal, StringComparison.OrdinalIgnoreCase);
        var host = new Uri(url).IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip)) Assert.False(Guard.IsAllowed(ip), $"{ip} must be refused at connect time too");
    }

    [Theory]
    [InlineData("https://example.com/a.jpg")]
    [InlineData("http://93.184.215.14/")]
    [InlineData("http://[2606:4700::1111]/")]
    [InlineData("http://[::ffff:8.8.8.8]/")]                           // IPv4-mapped public address
    [InlineData("http://[64:ff9b::808:808]/")]                         // NAT64 of a public address
    [InlineData("http://[2002:808:808::1]/")]                          // 6to4 of a public address
    [InlineData("http://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/")]     // Teredo, public server and client 8.8.8.8
    public void Public_targets_pass(string url)
    {
        Assert.Null(Guard.CheckUrl(url));
        var host = new Uri(url).IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip)) Assert.True(Guard.IsAllowed(ip), $"{ip} is public");
    }

    [Fact]
    public void Loopback_is_allowed_only_where_explicitly_listed_and_the_default_lists_nothing()
    {
        Assert.Empty(new IngestOptions().Fetch.AllowedInternal);
        Assert.Empty(new Bulwark.Core.Actions.Webhooks.WebhookOptions().AllowedInternal);
        var listed = new AddressGuard(["127.0.0.0/8"]);
        Assert.Null(listed.CheckUrl("http://127.0.0.1:9000/a.png"));
        Assert.True(listed.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")));
        // The allow-list names IPv4 loopback; the same address smuggled in IPv4-compatible or NAT64 form is not it.
        Assert.False(listed.IsAllowed(IPAddress.Parse("::127.0.0.1")));
        Assert.False(listed.IsAllowed(IPAddress.Parse("64:ff9b::7f00:1")));
        Assert.NotNull(listed.CheckUrl("http://10.0.0.1/"));
    }

    /// <summary>Any IPv4 address embedded in IPv4-mapped, NAT64, 6to4 or Teredo form is judged as the IPv4 address itself.</summary>
    [Property(MaxTest = 500)]
    public bool Embedded_ipv4_is_judged_as_itself(byte b1, byte b2, byte b3, byte b4)
    {
        byte[] v4 = [b1, b2, b3, b4];
        var expected = Guard.IsAllowed(new IPAddress(v4));
        byte[] mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, b1, b2, b3, b4];
        byte[] nat64 = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, b1, b2, b3, b4];
        byte[] sixToFour = [0x20, 0x02, b1, b2, b3, b4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        // Teredo: a public server (65.54.227.120), the client address stored inverted.
        byte[] teredo = [0x20, 0x01, 0, 0, 0x41, 0x36, 0xe3, 0x78, 0x80, 0, 0x63, 0xbf, (byte)~b1, (byte)~b2, (byte)~b3, (byte)~b4];
        byte[] compatible = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b1, b2, b3, b4];
        return Guard.IsAllowed(new IPAddress(mapped)) == expected
            && Guard.IsAllowed(new IPAddress(nat64)) == expected
            && Guard.IsAllowed(new IPAddress(sixToFour)) == expected
            && Guard.IsAllowed(new IPAddress(teredo)) == expected
            && !Guard.IsAllowed(new IPAddress(compatible));
    }

    /// <summary>A resolver that answers from a table, as a rebinding DNS server would answer the connect-time lookup.</summary>
    internal sealed class TableResolver(Dictionary<string, IPAddress[]> table) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
            table.TryGetValue(host, out var a) ? Task.FromResult(a) : throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_forbidden_address_is_refused_at_connect_time_and_checked_addresses_are_the_ones_connected_to()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        var resolver = new TableResolver(new()
        {
            ["rebind.example"] = [IPAddress.Loopback],
            ["metadata-nat64.example"] = [IPAddress.Parse("64:ff9b::a9fe:a9fe"), IPAddress.Parse("::169.254.169.254")],
        });
        // The URL check cannot know what a name resolves to: it passes both.
        Assert.Null(Guard.CheckUrl($"http://rebind.example:{port}/x"));
        Assert.Null(Guard.CheckUrl($"http://metadata-nat64.example:{port}/x"));

        using var unlisted = new HttpClient(GuardedConnector.CreateHandler(Guard, resolver, "test host"));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => unlisted.GetAsync($"http://rebind.example:{port}/x"));
        Assert.Contains("forbidden addresses (loopback)", Assert.IsType<ForbiddenAddressException>(refused.InnerException).Message);
        refused = await Assert.ThrowsAsync<HttpRequestException>(() => unlisted.GetAsync($"http://metadata-nat64.example:{port}/x"));
        Assert.Contains("NAT64 link-local", refused.InnerException!.Message);
        Assert.Contains("IPv4-compatible", refused.InnerException!.Message);
        Assert.Empty(receiver.Received);

        // Allow-listed loopback: the connection goes to the address the resolver gave (the name exists nowhere else).
        using var listed = new HttpClient(GuardedConnector.CreateHandler(new AddressGuard(["127.0.0.1"]), resolver, "test host"));
        Assert.Equal(HttpStatusCode.OK, (await listed.GetAsync($"http://rebind.example:{port}/x")).StatusCode);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Media_fetches_and_webhook_deliveries_resolve_through_the_guarded_connector()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        var resolver = new TableResolver(new() { ["media.example.org"] = [IPAddress.Loopback], ["hooks.example.org"] = [IPAddress.Loopback] });
        await using var core = await CoreServices.CreateAsync(Bulwark.Core.Storage.DatabaseProvider.Sqlite, new() { ["Bulwark:Webhooks:TimeoutSeconds"] = "5" },
            s => s.AddSingleton<IHostResolver>(resolver));

        var fetched = await core.Get<MediaFetcher>().FetchAsync($"http://media.example.org:{port}/a.png", "image/png", default);
        Assert.False(fetched.Ok);
        Assert.False(fetched.Retryable);
        Assert.Contains("media URL host 'media.example.org' resolves only to forbidden addresses (loopback)", fetched.Error);

        await core.Get<Bulwark.Core.Actions.Webhooks.WebhookService>().CreateAsync(
            new Bulwark.Core.Actions.Webhooks.NewWebhook("platform", $"http://hooks.example.org:{port}/hook", "test-secret-0123456789abcdefghij", IncludeHistory: true), "test", default);
        await using (var db = core.Get<Bulwark.Core.Storage.IBulwarkDbFactory>().Create())
        {
            core.Get<Bulwark.Core.Actions.IActionOutbox>().Enqueue(db, new Bulwark.Core.Actions.PlatformAction("content.remove", "content", "v", "VE-GLORIFY", 1, "k1", null));
            await db.SaveChangesAsync();
        }
        var round = await core.Get<Bulwark.Core.Actions.Webhooks.WebhookDispatcher>().RunOnceAsync("test", default);
        Assert.Equal(1, round.Failed);
        Assert.Empty(receiver.Received);
    }
}
