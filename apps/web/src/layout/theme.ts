import type { ThemeConfig } from 'antd';

/**
 * The app's antd theme. Zero-runtime: components do not build their CSS in the browser (antd's CSS-in-JS
 * was most of the first render's main-thread time on a slow PC); vite.config.ts extracts the CSS of
 * every component for this theme at build time instead. The fixed cssVar key makes the build's CSS and
 * the page's class names match.
 */
export const THEME: ThemeConfig = {
  zeroRuntime: true,
  hashed: false,
  cssVar: { key: 'rectify' },
  // Text colours dark enough for WCAG AA contrast (antd's defaults for placeholders and status tags are not).
  token: {
    colorPrimary: '#1454c8',
    colorLink: '#1454c8',
    colorInfo: '#1454c8',
    colorSuccess: '#237804',
    colorError: '#c41d1f',
    colorWarning: '#ad5b00',
    // antd derives the light backgrounds from these darker colours as greyish tints (#adb8a5, #ede6d5) that
    // the same colours fail on as text: its default tints instead.
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorTextPlaceholder: '#6e6e6e',
    colorTextDescription: '#595959',
    colorTextQuaternary: '#6e6e6e',
    borderRadius: 4,
    fontSize: 14,
  },
};
