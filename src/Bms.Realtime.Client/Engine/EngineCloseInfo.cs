namespace Bms.Realtime.Client.Engine;

/// <summary>Why an engine connection closed.</summary>
internal sealed record EngineCloseInfo(ClientDisconnectReason Reason, Exception? Error);
