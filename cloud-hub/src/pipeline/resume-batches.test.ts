import { describe, expect, it } from 'vitest';
import { BatchState } from '@argus/shared';
import { resumeStage } from './resume-batches.js';

describe('resumeStage', () => {
  it('continues every unfinished state past the barrier with the stage that owns it, and nothing else', () => {
    const table = Object.fromEntries(BatchState.options.map((s) => [s, resumeStage(s)]));
    expect(table).toEqual({
      pending: null, uploading: null, uploaded: 'gather', gathering: 'gather',
      gathered: 'diagnose', diagnosing: 'diagnose', diagnosed: null, failed: null,
    });
  });
});
