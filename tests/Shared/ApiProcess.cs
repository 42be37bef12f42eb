using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Catalog.Tests.Shared;

/// <summary>
/// The API as a real process (<c>dotnet Catalog.Api.dll</c> from its own build output) on a loopback
/// port and a ledger file of the test's choosing. Disposing it kills it.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts the API and waits until it answers <c>GET /v1/catalog</c> (60 s at most).</summary>
    public static async Task<ApiProcess> StartAsync(int port, string databasePath, string adminKey, IReadOnlyDictionary<string, string>? environment = null)
    {
        var assembly = ApiAssembly();
        var start = new ProcessStartInfo("dotnet", $"\"{assembly}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__Path"] = databasePath;
        start.Environment["CATALOG_ADMIN_KEY"] = adminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the API exited during start-up:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }

            try
            {
                if ((await probe.GetAsync("/v1/catalog")).IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        api.Dispose();
        throw new TimeoutException("the API did not start within 60 s");
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The API's own build output (its runtimeconfig is there), in the test's configuration.</summary>
    private static string ApiAssembly()
    {
        var testDirectory = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(testDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = testDirectory[..testDirectory.IndexOf($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal)];
        var assembly = Path.Combine(root, "src", "Catalog.Api", "bin", configuration, "net10.0", "Catalog.Api.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException($"build the API first (dotnet build Catalog.sln -c {configuration}); {assembly} is missing", assembly);
    }
}
