using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Engine;

namespace Bms.Realtime.Server.DirectWebSocketPath;

/// <summary>
/// The Engine.IO paths (without trailing slash) the direct WebSocket path may take over, each with its server.
/// Filled by <c>MapBmsRealtime</c>/<c>MapEngineIo</c>; read by <see cref="DirectWebSocketMiddleware"/> on every new
/// connection. Singleton; thread-safe (copy on write).
/// </summary>
internal sealed class DirectWebSocketRoutes
{
    private readonly Lock _lock = new();
    private Snapshot _current = new([], []);

    /// <summary>The current routes; the two arrays correspond.</summary>
    public Snapshot Current => Volatile.Read(ref _current);

    /// <summary>Adds, replaces or (when <paramref name="enabled"/> is false) removes the route for <paramref name="path"/>.</summary>
    public void Set(string path, EngineServer engine, bool enabled)
    {
        lock (_lock)
        {
            var paths = new List<string>(_current.Paths);
            var engines = new List<EngineServer>(_current.Engines);
            var index = paths.FindIndex(p => string.Equals(p, path, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                paths.RemoveAt(index);
                engines.RemoveAt(index);
            }

            if (enabled)
            {
                paths.Add(path);
                engines.Add(engine);
            }

            Volatile.Write(ref _current, new Snapshot(paths.ToArray(), engines.ToArray()));
        }
    }

    /// <summary>An immutable set of routes.</summary>
    internal sealed record Snapshot(string[] Paths, EngineServer[] Engines);
}
