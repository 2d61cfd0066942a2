using Bulwark.Core.Authorities.Referrals;
using Bulwark.Core.Storage;
using static Bulwark.Tests.Authorities.Referrals.ReferralScenario;

namespace Bulwark.Tests.Authorities.Referrals;

/// <summary>The e-mail channel against a local SMTP relay: a relay that is down is retried; the accepted message carries the package.</summary>
public class ReferralSmtpTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_email_referral_is_retried_while_the_relay_is_down_and_delivered_with_the_package_attached(DatabaseProvider provider)
    {
        await using var relay = new FakeSmtpRelay { Down = true };
        var settings = Settings("duty-desk@example.invalid", itChannel: ReferralChannels.Smtp);
        settings["Bulwark:Authorities:Referrals:Smtp:Host"] = "127.0.0.1";
        settings["Bulwark:Authorities:Referrals:Smtp:Port"] = relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Bulwark:Authorities:Referrals:Smtp:EnableSsl"] = "false";
        settings["Bulwark:Authorities:Referrals:TimeoutSeconds"] = "30";
        await using var core = await Review.ReviewScenario.CreateAsync(provider, extra: settings);
        var c = await ThreatCaseAsync(core, "threat-mail", "acct-mail", country: "IT");
        var v = (await core.Get<ReferralService>().SubmitAsync(new ReferralSubmission(c.Id, "Threat by e-mail channel.", "high", null), Legal, default)).Value!;
        var delivery = core.Get<ReferralDelivery>();

        Assert.Equal(1, (await delivery.RunOnceAsync("w", default)).Retrying);
        Assert.Contains("SMTP", (await RowAsync(core, v.Id)).LastError);
        Assert.Empty(relay.Messages);

        relay.Down = false;
        core.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await delivery.RunOnceAsync("w", default)).Delivered);
        var message = Assert.Single(relay.Messages);
        Assert.Contains("X-Bulwark-Reference: " + v.Reference, message);
        Assert.Contains("application/zip", message);
        Assert.Contains(v.Reference + ".zip", message);
        Assert.Equal(ReferralStatus.Delivered, (await RowAsync(core, v.Id)).Status);
        core.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await delivery.RunOnceAsync("w", default)).Claimed);
        Assert.Single(relay.Messages);
    }
}
