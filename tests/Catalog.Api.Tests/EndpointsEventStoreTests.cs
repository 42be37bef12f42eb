using Catalog.Api.Storage;
using Catalog.Api.Storage.LiteDb;
using Catalog.Pricing;

namespace Catalog.Api.Tests;

/// <summary>Endpoint events in the ledger's LiteDB file: duplicates, arrival order, precision, restarts.</summary>
public sealed class EndpointsEventStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
    private LedgerDatabase _database;
    private LiteDbEndpointEventStore _store;

    public EndpointsEventStoreTests()
    {
        _database = new LedgerDatabase(Path.Combine(_directory, "catalog.db"));
        _store = new LiteDbEndpointEventStore(_database);
    }

    [Fact]
    public async Task Duplicates_are_not_stored_twice_even_within_one_batch()
    {
        var running = new EndpointEvent(T0, EndpointStatus.Running, 1);
        Assert.Equal(1, await _store.AppendAsync("phi-4", [running, running], default));
        Assert.Equal(0, await _store.AppendAsync("phi-4", [running with { At = T0.ToOffset(TimeSpan.FromHours(2)) }], default));
        Assert.Equal(1, await _store.AppendAsync("phi-4", [running with { Replicas = 2 }], default));
        Assert.Equal(1, await _store.AppendAsync("mistral-7b-instruct", [running], default));
        Assert.Equal(2, (await _store.ListAsync("phi-4", DateTimeOffset.MaxValue, default)).Count);
    }

    [Fact]
    public async Task Events_come_back_in_arrival_order_before_the_given_time_to_the_tick()
    {
        var late = new EndpointEvent(T0.AddTicks(1), EndpointStatus.Paused, 0);
        var early = new EndpointEvent(T0.AddMilliseconds(-0.5), EndpointStatus.Running, 1);
        var future = new EndpointEvent(T0.AddHours(1), EndpointStatus.Running, 1);
        await _store.AppendAsync("phi-4", [late, early, future], default);

        Assert.Equal([late, early], await _store.ListAsync("phi-4", T0.AddMinutes(1), default));
    }

    [Fact]
    public async Task Events_and_their_order_survive_a_restart()
    {
        var first = new EndpointEvent(T0, EndpointStatus.Running, 1);
        var second = new EndpointEvent(T0, EndpointStatus.Paused, 0);
        await _store.AppendAsync("phi-4", [first], default);
        await _store.AppendAsync("phi-4", [second], default);

        Reopen();
        var third = new EndpointEvent(T0, EndpointStatus.Running, 2);
        await _store.AppendAsync("phi-4", [third, first], default);

        Assert.Equal([first, second, third], await _store.ListAsync("phi-4", DateTimeOffset.MaxValue, default));
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Reopen()
    {
        _database.Dispose();
        _database = new LedgerDatabase(Path.Combine(_directory, "catalog.db"));
        _store = new LiteDbEndpointEventStore(_database);
    }
}
