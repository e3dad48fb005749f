// The GFM plugin for turndown ships no types; the baseline uses only its `gfm` plugin.
declare module '@joplin/turndown-plugin-gfm' {
  import type TurndownService from 'turndown';
  export const gfm: TurndownService.Plugin;
}
