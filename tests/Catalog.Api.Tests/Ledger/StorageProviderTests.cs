using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

using Catalog.Tests.Shared;

namespace Catalog.Api.Tests.Ledger;

/// <summary><c>Storage:Provider</c>: a wrong name or an unreachable database stops start-up with a message naming the setting.</summary>
public sealed class StorageProviderTests
{
    [Fact]
    public void A_provider_other_than_litedb_or_postgres_stops_start_up_naming_the_setting()
    {
        var error = StartUpError(("Storage:Provider", "mongodb"));

        Assert.Contains("Storage:Provider is 'mongodb'", error);
        Assert.Contains("'litedb'", error);
        Assert.Contains("'postgres'", error);
    }

    [Fact]
    public void Postgres_without_a_connection_string_stops_start_up_naming_the_setting()
    {
        var error = StartUpError(("Storage:Provider", "postgres"));

        Assert.Contains("Storage:ConnectionString", error);
    }

    [Fact]
    public void An_unreachable_postgres_stops_start_up_naming_the_server_and_the_setting()
    {
        var port = ApiProcess.FreePort();

        var error = StartUpError(("Storage:Provider", "Postgres"), ("Storage:ConnectionString", $"Host=127.0.0.1;Port={port};Username=catalog;Password=secret-pw;Timeout=3"));

        Assert.Contains($"Cannot connect to PostgreSQL at 127.0.0.1:{port}", error);
        Assert.Contains("(Storage:ConnectionString)", error);
        Assert.DoesNotContain("secret-pw", error);
    }

    /// <summary>
    /// The exception start-up fails with. WebApplicationFactory sometimes reports a failed start as an
    /// ObjectDisposedException of its own deferred host (a race in the harness, seen under load), hiding the
    /// app's exception; such a start is tried again, so the assertions always read the app's own message.
    /// </summary>
    private static string StartUpError(params (string Name, string Value)[] settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var factory = new ConfiguredApi(settings);
            var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
            if (error is not ObjectDisposedException || attempt == 5)
            {
                return error.ToString();
            }
        }
    }

    private sealed class ConfiguredApi((string Name, string Value)[] settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Logging:LogLevel:Default", "None");
            foreach (var (name, value) in settings)
            {
                builder.UseSetting(name, value);
            }
        }
    }
}
