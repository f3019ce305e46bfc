// The shapes of the API's JSON that the UI reads (docs/api.md, docs/metadata.md, docs/recording.md).

export type Camera = {
  id: string; name: string; source: string; storage_mode: string; enabled: boolean; rtsp_url?: string;
  group_ids?: string[]; status?: string;
};

export type CameraPage = { items: Camera[]; total: number; offset: number; limit: number };

export type CameraGroup = { id: string; name: string; camera_ids: string[] };

export type RecordingStatus = {
  camera_id: string; name: string; state: string; health: string; should_record: boolean; recorder_id: string | null;
  since: string | null; last_segment_end: string | null; bitrate_bps: number | null; restarts: number; last_error: string | null;
};

export type Span = { start_time: string; end_time: string };
export type Thumbnail = { id: string; captured_at: string; url: string };
export type Marker = { kind: string; id: string; start: string; end: string | null; label: string; type?: string };

export type TimelineSegment = { id: string; start_time: string; end_time: string; size_bytes: number; storage_backend: string };

export type Timeline = {
  camera_id: string; from: string; to: string; recorded_seconds: number;
  spans: Span[]; gaps: Span[]; segments: TimelineSegment[]; thumbnails: Thumbnail[]; markers: Marker[];
};

export type Incident = {
  id: string; title: string; description: string | null; severity: string; status: string; camera_ids: string[];
  start_time: string; end_time: string; tags: string[] | null; assigned_to: string | null; created_by: string;
  created_at: string; updated_at: string; closed_at: string | null; evidence_hold: boolean; evidence_hold_until: string | null;
};

export type CustodyEntry = { id?: string; sequence?: number; action: string; actor?: string; user_id?: string; created_at?: string; at?: string; details?: unknown; hash?: string };

export type SearchResult = {
  type: string; offset: number; limit: number; next_offset: number | null;
  items: { incident: Incident; rank: number; highlights?: { title?: string; description?: string } }[];
};

/** One hit of the search over every kind (GET /api/v1/metadata/search, docs/metadata.md "Search"). */
export type SearchHit = {
  kind: 'incident' | 'annotation' | 'tag' | 'segment'; id: string; rank: number; title: string | null; snippet: string | null;
  camera_id: string | null; camera_ids: string[]; start_time: string | null; end_time: string | null; open_at: string | null;
  severity: string | null; status: string | null; user: string | null; segment_id: string | null; category: string | null;
  color: string | null; tags: string[] | null;
};

export type SearchHits = { type: string; offset: number; limit: number; next_offset: number | null; items: SearchHit[] };

export type Export = {
  id: string; status: string; camera_ids: string[]; start_time: string; end_time: string; reason?: string | null;
  error?: string | null; file_size?: number | null; checksum?: string | null; expires_at?: string | null;
  download_url?: string | null; created_at?: string; created_by?: string;
};

export type Clip = {
  id: string; incident_id: string; camera_ids: string[]; start_time: string; end_time: string; margin_seconds: number; reason: string;
  status: string; file_size: number | null; checksum: string | null; manifest_sha256: string | null; signing_key_sha256: string | null;
  download_url: string | null; created_by: string; created_at: string; completed_at: string | null; error: string | null;
  deleted_by: string | null; deleted_at: string | null; delete_reason: string | null;
};

export type AccessEntry = {
  id: string; actor: string; role: string | null; access: string; camera_id: string; from: string; to: string;
  occurred_at: string; last_at: string; requests: number; path: string; remote_ip: string | null;
};
