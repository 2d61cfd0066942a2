using Bulwark.Core.Notices;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Tests.Notices;

/// <summary>The public form's flood guards: the proof of work is checked (forged, expired, reused, unsolved) and the per-address limit follows the clock.</summary>
public class FormGuardTests
{
    private static (FormGuard Guard, FakeTimeProvider Clock) Make(int bits = 8, int perAddress = 3)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        return (new FormGuard(new NoticeOptions { ProofOfWorkBits = bits, FormNoticesPerAddress = perAddress, RateWindowMinutes = 60, ChallengeMinutes = 30 }, clock), clock);
    }

    [Fact]
    public void A_solved_challenge_is_accepted_once_and_everything_else_is_refused_with_its_reason()
    {
        var (guard, clock) = Make();
        var challenge = guard.NewChallenge();
        var counter = FormGuard.Solve(challenge, guard.Bits);
        Assert.Null(guard.Check(challenge, counter));
        Assert.Equal("reused", guard.Check(challenge, counter));

        var other = guard.NewChallenge();
        var wrong = Enumerable.Range(0, 1000).Select(i => i.ToString()).First(c => !FormGuard.Solves(other, c, guard.Bits));
        Assert.Equal("unsolved", guard.Check(other, wrong));
        Assert.Equal("missing", guard.Check(other, null));
        var parts = other.Split('.');
        Assert.Equal("forged", guard.Check($"{parts[0]}.{parts[1]}.{new string('0', 32)}", "1"));
        // An attacker cannot move the issue time forward without the key.
        Assert.Equal("forged", guard.Check($"{long.Parse(parts[0]) + 1}.{parts[1]}.{parts[2]}", "1"));
        Assert.Equal("malformed", guard.Check("abc", "1"));

        var late = guard.NewChallenge();
        var lateCounter = FormGuard.Solve(late, guard.Bits);
        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("expired", guard.Check(late, lateCounter));
        // Another process's key does not validate this one's challenges.
        Assert.Equal("forged", Make().Guard.Check(guard.NewChallenge(), "1"));
    }

    [Property(MaxTest = 500)]
    public Property Solves_equals_a_plain_count_of_leading_zero_bits() =>
        Prop.ForAll(Gen.Elements("a", "1.2.3", "17000000.abc.def", "").ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(), Gen.Choose(0, 12).ToArbitrary(), (challenge, n, bits) =>
        {
            var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{challenge}:{n}"));
            var zeros = 0;
            foreach (var b in hash) { if (b == 0) { zeros += 8; continue; } zeros += System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24; break; }
            return FormGuard.Solves(challenge, n.ToString(), bits) == (zeros >= bits);
        });

    [Fact]
    public void Each_address_gets_its_limit_per_window()
    {
        var (guard, clock) = Make(perAddress: 3);
        Assert.True(guard.TryCount("198.51.100.7"));
        Assert.True(guard.TryCount("198.51.100.7"));
        Assert.True(guard.TryCount("198.51.100.7"));
        Assert.False(guard.TryCount("198.51.100.7"));
        Assert.True(guard.TryCount("203.0.113.9")); // another address is counted on its own
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(guard.TryCount("198.51.100.7"));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(guard.TryCount("198.51.100.7"));
    }
}
