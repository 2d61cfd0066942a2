using System.Net;
using Bulwark.Core.Ingest;
using FsCheck;
using FsCheck.Xunit;

namespace Bulwark.Tests.Ingest;

public class ContentEventValidatorTests
{
    private static readonly ContentEventValidator Validator = new(new IngestOptions(), new AddressGuard([]));

    private static ContentEvent Valid() => new() { Id = "vid-1", Kind = "video", Text = "hello", Language = "it-IT", Region = "IT" };

    private static Dictionary<string, string> Errors(ContentEvent e) => Validator.Validate(e).ToDictionary(x => x.Field, x => x.Message);

    [Fact]
    public void A_complete_valid_event_has_no_errors() => Assert.Empty(Validator.Validate(Valid()));

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "1 to 128")]
    [InlineData("has space", "1 to 128")]
    [InlineData("ünïcode", "1 to 128")]
    public void Bad_ids_are_named(string? id, string message)
    {
        var e = Valid();
        e.Id = id;
        Assert.Contains(message, Errors(e)["id"]);
    }

    [Fact]
    public void An_id_longer_than_128_characters_says_its_length()
    {
        var e = Valid();
        e.Id = new string('a', 129);
        Assert.Contains("129 characters", Errors(e)["id"]);
    }

    [Property(MaxTest = 500)]
    public bool Id_rule_equals_its_plain_definition(NonNull<string> candidate)
    {
        var id = candidate.Get;
        var reference = id.Length is >= 1 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
        var e = Valid();
        e.Id = id;
        return reference == !Validator.Validate(e).Any(x => x.Field == "id");
    }

    [Fact]
    public void Unknown_kind_lists_the_known_ones()
    {
        var e = Valid();
        e.Kind = "podcast";
        Assert.Contains("expected one of video, image, text", Errors(e)["kind"]);
    }

    [Fact]
    public void Text_over_64_KiB_of_UTF8_is_refused_but_64_KiB_is_accepted()
    {
        var e = Valid();
        e.Text = new string('a', 64 * 1024);
        Assert.Empty(Validator.Validate(e));
        e.Text = new string('é', 32 * 1024 + 1); // two bytes each in UTF-8
        Assert.Contains("65538 bytes", Errors(e)["text"]);
        e.Text = null;
        e.Account = new AccountRef { Id = "a", Bio = new string('x', 70_000) };
        Assert.Contains("account.bio", Errors(e).Keys);
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("it-IT", true)]
    [InlineData("zh-Hant-TW", true)]
    [InlineData("sr-Latn-RS", true)]
    [InlineData("es-419", true)]
    [InlineData("x-private", true)]
    [InlineData("english", false)]
    [InlineData("e", false)]
    [InlineData("en_US", false)]
    [InlineData("it-", false)]
    public void Language_tags_follow_BCP_47(string tag, bool ok)
    {
        var e = Valid();
        e.Language = tag;
        Assert.Equal(ok, !Errors(e).ContainsKey("language"));
    }

    [Theory]
    [InlineData("IT", true)]
    [InlineData("GR", true)]
    [InlineData("it", false)]
    [InlineData("XX", false)]
    [InlineData("EL", false)] // the EU uses EL for Greece; ISO 3166-1 does not
    [InlineData("ITA", false)]
    public void Regions_are_assigned_ISO_3166_alpha_2_codes(string region, bool ok)
    {
        var e = Valid();
        e.Region = region;
        Assert.Equal(ok, !Errors(e).ContainsKey("region"));
    }

    [Theory]
    [InlineData("http://127.0.0.1/x.jpg", "loopback")]
    [InlineData("http://10.1.2.3/x.jpg", "private")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://[::1]/x.jpg", "loopback")]
    [InlineData("http://[::ffff:192.168.0.1]/x.jpg", "private")]
    [InlineData("http://localhost:8080/x.jpg", "local host name")]
    [InlineData("file:///etc/passwd", "only http and https")]
    [InlineData("ftp://example.com/x.jpg", "only http and https")]
    [InlineData("http://user:pw@example.com/x.jpg", "credentials")]
    [InlineData("not a url", "absolute URL")]
    public void Media_urls_to_forbidden_targets_are_refused(string url, string why)
    {
        var e = Valid();
        e.Media = [new MediaRef { Url = url, MimeType = "image/jpeg" }];
        Assert.Contains(why, Errors(e)["media[0].url"]);
    }

    [Fact]
    public void Allow_listed_internal_addresses_may_be_fetched()
    {
        var v = new ContentEventValidator(new IngestOptions(), new AddressGuard(["127.0.0.0/8", "media.internal"]));
        var e = Valid();
        e.Media = [new MediaRef { Url = "http://127.0.0.1:9000/a.png", MimeType = "image/png" }, new MediaRef { Url = "http://media.internal/b.png", MimeType = "image/png" }];
        Assert.Empty(v.Validate(e));
    }

    [Fact]
    public void Media_needs_exactly_one_of_url_or_part_and_a_part_must_be_uploaded()
    {
        var e = Valid();
        e.Media = [new MediaRef { MimeType = "image/png" }, new MediaRef { Part = "a.png", Url = "https://example.com/a.png" }, new MediaRef { Part = "missing.png" }];
        var errors = Errors(e);
        Assert.Contains("exactly one", errors["media[0]"]);
        Assert.Contains("exactly one", errors["media[1]"]);
        Assert.Contains("no media part", errors["media[2].part"]);
    }

    [Fact]
    public void Uploaded_parts_are_resolved_checked_against_the_declared_hash_and_size_limited()
    {
        var options = new IngestOptions { MaxImageBytes = 100 };
        var v = new ContentEventValidator(options, new AddressGuard([]));
        var sha = new string('a', 64);
        var uploads = new Dictionary<string, StoredMedia> { ["a.png"] = new("a.png", sha, 150, "image/png"), ["unused.png"] = new("unused.png", sha, 1, "image/png") };
        var e = Valid();
        e.Media = [new MediaRef { Part = "a.png", Sha256 = new string('b', 64) }];
        var errors = v.Validate(e, uploads).ToDictionary(x => x.Field, x => x.Message);
        Assert.Contains("does not match", errors["media[0].sha256"]);
        Assert.Contains("limit for image/png is 100", errors["media[0].part"]);
        Assert.Contains("'unused.png' is not referenced", errors["media"]);
    }

    [Property(MaxTest = 300)]
    public bool Every_private_ipv4_address_is_refused_and_public_ones_pass(byte b1, byte b2, byte b3, byte b4)
    {
        var ip = new IPAddress([b1, b2, b3, b4]);
        var isPrivate = b1 == 10 || b1 == 127 || b1 == 0 || (b1 == 172 && b2 >= 16 && b2 <= 31) || (b1 == 192 && b2 == 168)
            || (b1 == 169 && b2 == 254) || (b1 == 100 && b2 >= 64 && b2 <= 127) || b1 >= 224
            || (b1 == 192 && b2 == 0 && b3 == 0) || (b1 == 198 && (b2 == 18 || b2 == 19))
            || (b1 == 192 && b2 == 0 && b3 == 2) || (b1 == 198 && b2 == 51 && b3 == 100) || (b1 == 203 && b2 == 0 && b3 == 113) // documentation
            || (b1 == 192 && b2 == 88 && b3 == 99); // 6to4 relay anycast
        return new AddressGuard([]).IsAllowed(ip) == !isPrivate;
    }
}
