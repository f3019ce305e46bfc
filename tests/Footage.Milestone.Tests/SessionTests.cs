using Footage.Milestone.Configuration;
using Footage.Milestone.Identity;
using Footage.Milestone.Recordings;
using Footage.Milestone.Simulator;
using Xunit;

namespace Footage.Milestone.Tests;

/// <summary>Identity provider, Login and its renewal, GetConfiguration, SequencesGetTypes and SequencesGet against the simulator, with their faults.</summary>
public sealed class SessionTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private MilestoneSimulator Simulator => fixture.Simulator;

    [Fact]
    public async Task A_wrong_password_is_a_clear_refusal_that_names_the_setting_and_never_the_user_or_the_password()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock, new Dictionary<string, string?> { ["Footage:Milestone:Password"] = "not-the-password" });
        var e = await Assert.ThrowsAsync<MilestoneException>(() => adapter.Get<MilestoneSession>().TokenAsync(CancellationToken.None));
        Assert.Equal(MilestoneFailure.BadCredentials, e.Failure);
        // the message reaches API answers (502) and the error log: it names where the user is configured, not who it is
        Assert.Contains("Footage:Milestone:Username", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Simulator.Username, e.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_grant", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_token_is_renewed_before_it_expires_with_Login_and_the_current_token()
    {
        Simulator.Tokens.SessionLifetime = TimeSpan.FromMinutes(60);
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var session = adapter.Get<MilestoneSession>();
        var renewalsBefore = Simulator.Tokens.Renewals;
        var first = await session.TokenAsync(CancellationToken.None);
        Assert.StartsWith("TOKEN#", first, StringComparison.Ordinal);

        fixture.Clock.Advance(TimeSpan.FromMinutes(30)); // half its life left: still good
        Assert.Equal(first, await session.TokenAsync(CancellationToken.None));

        fixture.Clock.Advance(TimeSpan.FromMinutes(20)); // a sixth left: renewed before it runs out
        var renewed = await session.TokenAsync(CancellationToken.None);
        Assert.NotEqual(first, renewed);
        Assert.Equal(renewalsBefore + 1, Simulator.Tokens.Renewals);
        Assert.Equal(0, Simulator.Tokens.Check(renewed));
    }

    [Fact]
    public async Task Expired_and_revoked_session_tokens_are_replaced_by_a_new_sign_in()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var session = adapter.Get<MilestoneSession>();
        var recorders = adapter.Get<RecorderCommandClient>();
        var camera = await session.CameraAsync(SimulatorFixture.H264Camera, CancellationToken.None);
        var logins = Simulator.Tokens.Logins;

        Simulator.Tokens.ExpireAll();
        var expired = await session.WithTokenAsync(
            token => recorders.GetSequencesAsync(camera.RecorderUri, token, camera.DeviceId, SequenceTypes.Recording, SimulatorFixture.T0.AddHours(-1), SimulatorFixture.Now, 100, CancellationToken.None),
            CancellationToken.None);
        Assert.Equal(2, expired.Count);

        Simulator.Tokens.RevokeAll();
        var cameras = await session.CamerasAsync(refresh: true, CancellationToken.None);
        Assert.Equal(3, cameras.Count);
        Assert.Equal(logins + 2, Simulator.Tokens.Logins);
    }

    [Fact]
    public async Task A_token_Milestone_refuses_is_reported_with_Milestones_error_and_sub_error()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var camera = await adapter.Get<MilestoneSession>().CameraAsync(SimulatorFixture.H264Camera, CancellationToken.None);
        var e = await Assert.ThrowsAsync<MilestoneException>(() => adapter.Get<RecorderCommandClient>().GetSequencesAsync(
            camera.RecorderUri, "TOKEN#made-up#", camera.DeviceId, SequenceTypes.Recording, SimulatorFixture.T0, SimulatorFixture.Now, 10, CancellationToken.None));
        Assert.Equal(MilestoneFailure.TokenInvalid, e.Failure);
        Assert.Contains("error 20001, sub-error 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetConfiguration_lists_every_camera_with_the_recorder_that_records_it()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var cameras = await adapter.Get<MilestoneSession>().CamerasAsync(refresh: true, CancellationToken.None);
        Assert.Equal(
            new[] { SimulatorFixture.H264Camera, SimulatorFixture.H265Camera, SimulatorFixture.EmptyCamera }.Order(),
            cameras.Select(c => c.DeviceId).Order());
        Assert.All(cameras, c => Assert.Equal(Simulator.BaseUri, c.RecorderUri));
        Assert.Equal("Entrance", cameras.Single(c => c.DeviceId == SimulatorFixture.H264Camera).Name);

        var e = await Assert.ThrowsAsync<MilestoneException>(() => adapter.Get<MilestoneSession>().CameraAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.Equal(MilestoneFailure.UnknownCamera, e.Failure);
    }

    [Fact]
    public async Task SequencesGet_gives_the_recorded_spans_with_their_gap_nothing_for_an_empty_range_and_honours_maxCount()
    {
        await using var adapter = new AdapterServices(Simulator, fixture.Clock);
        var session = adapter.Get<MilestoneSession>();
        var recorders = adapter.Get<RecorderCommandClient>();
        var camera = await session.CameraAsync(SimulatorFixture.H264Camera, CancellationToken.None);
        var token = await session.TokenAsync(CancellationToken.None);

        var types = await recorders.GetTypesAsync(camera.RecorderUri, token, camera.DeviceId, CancellationToken.None);
        Assert.Contains(types, t => t.Id == SequenceTypes.Recording && t.Name == "RecordingSequence");

        var all = await recorders.GetSequencesAsync(camera.RecorderUri, token, camera.DeviceId, SequenceTypes.Recording, SimulatorFixture.T0.AddMinutes(-5), SimulatorFixture.Now, 100, CancellationToken.None);
        Assert.Equal(2, all.Count);
        Assert.Equal(SimulatorFixture.T0, all[0].TimeBegin);
        Assert.Equal(SimulatorFixture.T0.AddSeconds(20 - 0.04), all[0].TimeEnd);
        Assert.Equal(SimulatorFixture.T0.AddSeconds(30), all[1].TimeBegin);

        var capped = await recorders.GetSequencesAsync(camera.RecorderUri, token, camera.DeviceId, SequenceTypes.Recording, SimulatorFixture.T0.AddMinutes(-5), SimulatorFixture.Now, 1, CancellationToken.None);
        Assert.Single(capped);

        var empty = await recorders.GetSequencesAsync(camera.RecorderUri, token, camera.DeviceId, SequenceTypes.Recording, SimulatorFixture.Now.AddDays(-7), SimulatorFixture.Now.AddDays(-6), 100, CancellationToken.None);
        Assert.Empty(empty);

        var never = await recorders.GetSequencesAsync(camera.RecorderUri, token, SimulatorFixture.EmptyCamera, SequenceTypes.Recording, SimulatorFixture.T0, SimulatorFixture.Now, 100, CancellationToken.None);
        Assert.Empty(never);

        var unknown = await Assert.ThrowsAsync<MilestoneException>(() => recorders.GetSequencesAsync(
            camera.RecorderUri, token, Guid.NewGuid(), SequenceTypes.Recording, SimulatorFixture.T0, SimulatorFixture.Now, 100, CancellationToken.None));
        Assert.Equal(MilestoneFailure.UnknownCamera, unknown.Failure);
    }
}
