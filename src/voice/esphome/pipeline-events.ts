import { VoiceAssistantEvent, type VoiceAssistantEventResponse } from './generated/api_pb.ts';

/** HA's pipeline events (spec §7), reduced to what the device acts on. All data values are strings. */
export type PipelineStep =
  | { kind: 'stop-audio' }
  | { kind: 'transcript'; text: string }
  | { kind: 'intent-end'; conversationId: string | null; continueConversation: boolean }
  | { kind: 'tts-text'; text: string }
  | { kind: 'tts-url'; url: string }
  | { kind: 'run-start'; url: string | null }
  | { kind: 'run-end' }
  | { kind: 'error'; code: string }
  | { kind: 'none' };

export function pipelineStep(ev: VoiceAssistantEventResponse): PipelineStep {
  const data = new Map(ev.data.map((d) => [d.name, d.value]));
  const get = (k: string) => data.get(k) ?? '';
  switch (ev.eventType) {
    case VoiceAssistantEvent.VOICE_ASSISTANT_STT_VAD_END:
      return { kind: 'stop-audio' };
    case VoiceAssistantEvent.VOICE_ASSISTANT_STT_END:
      return { kind: 'transcript', text: get('text') };
    case VoiceAssistantEvent.VOICE_ASSISTANT_INTENT_END:
      return { kind: 'intent-end', conversationId: get('conversation_id') || null, continueConversation: get('continue_conversation') === '1' };
    case VoiceAssistantEvent.VOICE_ASSISTANT_TTS_START:
      return { kind: 'tts-text', text: get('text') };
    case VoiceAssistantEvent.VOICE_ASSISTANT_TTS_END:
      return get('url') ? { kind: 'tts-url', url: get('url') } : { kind: 'none' };
    case VoiceAssistantEvent.VOICE_ASSISTANT_RUN_START:
      return { kind: 'run-start', url: get('url') || null };
    case VoiceAssistantEvent.VOICE_ASSISTANT_RUN_END:
      return { kind: 'run-end' };
    case VoiceAssistantEvent.VOICE_ASSISTANT_ERROR:
      return { kind: 'error', code: errorCode(get('code')) };
    default:
      return { kind: 'none' };
  }
}

/** HA's codes (`stt-no-text-recognized`) become ours; anything odd becomes a fixed code. */
function errorCode(code: string): string {
  return /^[a-z0-9_-]{1,64}$/i.test(code) ? `HA_${code.toUpperCase().replace(/-/g, '_')}` : 'ESPHOME_REMOTE_ERROR';
}
