using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bulwark.Core.Ingest;

/// <summary>
/// Server-side request forgery protection, the one guard for every outbound connection (media URLs, webhook receivers;
/// <see cref="GuardedConnector"/> applies it at connect time). Only http(s); never to an address that is not public unicast
/// unless allow-listed. IPv4: this network (0/8), private (10/8, 172.16/12, 192.168/16), shared CGNAT (100.64/10), loopback
/// (127/8), link-local (169.254/16, the cloud metadata address), IETF protocol assignments (192.0.0/24), documentation
/// (192.0.2/24, 198.51.100/24, 203.0.113/24), the 6to4 relay (192.88.99/24), benchmarking (198.18/15), multicast (224/4),
/// reserved (240/4) and broadcast. IPv6: only global unicast (2000::/3) and the NAT64 well-known prefix 64:ff9b::/96 can
/// pass; an IPv4 address embedded in IPv4-mapped (::ffff:0:0/96), NAT64, 6to4 (2002::/16) or Teredo (2001::/32, server and
/// inverted client) form is judged as that IPv4 address; IPv4-compatible (::/96), local-use NAT64 (64:ff9b:1::/48), discard
/// (100::/64), unique local (fc00::/7), link-local, site-local, multicast, documentation (2001:db8::/32, 3fff::/20),
/// benchmarking (2001:2::/48) and the rest of the IETF block 2001::/23 are refused (IANA special-purpose registries).
/// </summary>
public sealed class AddressGuard
{
    private readonly HashSet<string> _allowedHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(IPAddress Network, int PrefixLength)> _allowedRanges = [];

    /// <param name="allowedInternal">Host names, addresses or CIDR ranges that may be reached although internal. Empty by
    /// default everywhere: tests and internal receivers list what they need explicitly.</param>
    public AddressGuard(IEnumerable<string> allowedInternal)
    {
        foreach (var raw in allowedInternal)
        {
            var item = raw.Trim();
            if (item.Length == 0) continue;
            var slash = item.IndexOf('/');
            if (slash > 0 && IPAddress.TryParse(item[..slash], out var net) && int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var len)
                && len >= 0 && len <= (net.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
                _allowedRanges.Add((net, len));
            else if (IPAddress.TryParse(item, out var ip))
                _allowedRanges.Add((ip, ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else
                _allowedHosts.Add(item.TrimEnd('.'));
        }
    }

    /// <summary>Checks a URL's form and, for literal addresses (in any notation) and well-known local names, its target. Returns an error message or null.</summary>
    public string? CheckUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "is not an absolute URL";
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return $"uses scheme '{uri.Scheme}'; only http and https are fetched";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "must not carry user credentials";
        var host = uri.IdnHost.Trim('[', ']');
        if (IsHostAllowListed(host)) return null;
        if (TryParseLiteral(host, out var ip))
            return IsAllowed(ip) ? null : $"points to a forbidden address ({Describe(ip)})";
        var name = host.TrimEnd('.');
        if (LooksNumeric(name)) return $"has a numeric host ('{host}') that is not a valid address";
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
            || !name.Contains('.'))
            return $"points to a local host name ('{host}')";
        return null;
    }

    public bool IsHostAllowListed(string host) => _allowedHosts.Contains(host.TrimEnd('.'));

    /// <summary>
    /// Reads a host as an address literal the way a resolver would: IPv6, dotted IPv4 in any of the inet_aton notations
    /// (decimal, octal, hex, one to four parts: <c>2130706433</c>, <c>0177.0.0.1</c>, <c>0x7f.1</c>, <c>127.1</c>), and with a
    /// trailing dot (<c>127.0.0.1.</c>), which URL parsers keep as a DNS name but resolvers read as the address.
    /// </summary>
    public static bool TryParseLiteral(string host, out IPAddress ip)
    {
        var h = host.Trim('[', ']');
        if (h.EndsWith('.') && !h.Contains(':')) h = h[..^1];
        if (h.Length > 0 && (h.Contains(':') || LooksNumeric(h)) && IPAddress.TryParse(h, out var parsed))
        {
            ip = parsed.AddressFamily == AddressFamily.InterNetworkV6 && parsed.ScopeId != 0 ? new IPAddress(parsed.GetAddressBytes()) : parsed;
            return true;
        }
        ip = IPAddress.None;
        return false;
    }

    /// <summary>A name whose last label is digits or hex (<c>0x…</c>) is not a DNS name (no top-level domain is numeric): treat it as an address.</summary>
    private static bool LooksNumeric(string host)
    {
        if (host.Length == 0) return false;
        var last = host[(host.LastIndexOf('.') + 1)..];
        if (last.Length == 0) return false;
        if (last.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return last.Length == 2 || last.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") is false;
        return !last.AsSpan().ContainsAnyExcept("0123456789");
    }

    /// <summary>True when a connection to this address may be made.</summary>
    public bool IsAllowed(IPAddress ip)
    {
        if (Describe(ip) is null) return true;
        // An allow-list entry names an address as written: IPv4-mapped IPv6 is the same socket address, nothing else is.
        var candidate = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        foreach (var (network, prefix) in _allowedRanges)
            if (InRange(candidate, network, prefix)) return true;
        return false;
    }

    /// <summary>Names the forbidden class an address belongs to, or null for a public address.</summary>
    public static string? Describe(IPAddress ip)
    {
        Span<byte> b = stackalloc byte[16];
        if (!ip.TryWriteBytes(b, out var written)) return "unreadable address";
        return written == 4 ? DescribeV4(BinaryPrimitives.ReadUInt32BigEndian(b)) : DescribeV6(b[..16]);
    }

    private static string? DescribeV4(uint a)
    {
        static bool In(uint a, uint net, int prefix) => prefix == 0 || (a >> (32 - prefix)) == (net >> (32 - prefix));
        if (In(a, 0x00000000, 8)) return "unspecified";                     // 0.0.0.0/8, "this network"
        if (In(a, 0x0A000000, 8)) return "private";                         // 10/8
        if (In(a, 0x64400000, 10)) return "shared address space";           // 100.64/10 (CGNAT)
        if (In(a, 0x7F000000, 8)) return "loopback";                        // 127/8
        if (In(a, 0xA9FE0000, 16)) return "link-local";                     // 169.254/16 (cloud metadata)
        if (In(a, 0xAC100000, 12)) return "private";                        // 172.16/12
        if (In(a, 0xC0000000, 24)) return "IETF protocol assignments";      // 192.0.0/24
        if (In(a, 0xC0000200, 24)) return "documentation";                  // 192.0.2/24 TEST-NET-1
        if (In(a, 0xC0586300, 24)) return "reserved (6to4 relay anycast)";  // 192.88.99/24
        if (In(a, 0xC0A80000, 16)) return "private";                        // 192.168/16
        if (In(a, 0xC6120000, 15)) return "benchmarking";                   // 198.18/15
        if (In(a, 0xC6336400, 24)) return "documentation";                  // 198.51.100/24 TEST-NET-2
        if (In(a, 0xCB007100, 24)) return "documentation";                  // 203.0.113/24 TEST-NET-3
        if (In(a, 0xE0000000, 4)) return "multicast";                       // 224/4
        if (a == 0xFFFFFFFF) return "broadcast";
        if (In(a, 0xF0000000, 4)) return "reserved";                        // 240/4
        return null;
    }

    private static string? DescribeV6(ReadOnlySpan<byte> b)
    {
        var hi = BinaryPrimitives.ReadUInt64BigEndian(b);
        var lo = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);
        var v4 = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);
        if (hi == 0 && lo == 0) return "unspecified";
        if (hi == 0 && lo == 1) return "loopback";
        if (hi == 0 && lo >> 32 == 0xFFFF) return Embedded("IPv4-mapped", v4);                // ::ffff:0:0/96
        if (hi == 0 && lo >> 32 == 0) return "IPv4-compatible (deprecated)";                   // ::/96
        if (hi == 0x0064FF9B00000000 && lo >> 32 == 0) return Embedded("NAT64", v4);           // 64:ff9b::/96
        if (hi >> 16 == 0x0064FF9B0001) return "local-use NAT64";                              // 64:ff9b:1::/48
        if (hi >> 56 == 0) return "reserved";                                                  // the rest of ::/8
        if (hi == 0x0100000000000000) return "discard-only";                                   // 100::/64
        if (b[0] >> 5 != 0b001)                                                                // outside 2000::/3
            return b[0] switch
            {
                >= 0xFC and <= 0xFD => "unique local (private)",                               // fc00::/7
                0xFE when (b[1] & 0xC0) == 0x80 => "link-local",                               // fe80::/10
                0xFE when (b[1] & 0xC0) == 0xC0 => "site-local (deprecated)",                  // fec0::/10
                0xFF => "multicast",
                _ => "reserved",
            };
        if (hi >> 48 == 0x2002) return Embedded("6to4", (uint)(hi >> 16));                      // 2002:V4ADDR::/48
        if (hi >> 32 == 0x20010000)                                                             // Teredo 2001::/32
            return Embedded("Teredo server", (uint)hi) ?? Embedded("Teredo client", ~v4);
        if (hi >> 32 == 0x20010DB8 || hi >> 44 == 0x3FFF0) return "documentation";              // 2001:db8::/32, 3fff::/20
        if (hi >> 16 == 0x200100020000) return "benchmarking";                                  // 2001:2::/48
        if (hi >> 41 == 0x20010000 >> 9) return "IETF protocol assignments";                    // the rest of 2001::/23
        return null;

        static string? Embedded(string form, uint v4) => DescribeV4(v4) is { } d ? $"{form} {d}" : null;
    }

    private static bool InRange(IPAddress ip, IPAddress network, int prefix)
    {
        if (ip.AddressFamily != network.AddressFamily) return false;
        var a = ip.GetAddressBytes();
        var n = network.GetAddressBytes();
        var full = prefix / 8;
        for (var i = 0; i < full; i++) if (a[i] != n[i]) return false;
        var rest = prefix % 8;
        if (rest == 0) return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (a[full] & mask) == (n[full] & mask);
    }
}
