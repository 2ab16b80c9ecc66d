// The antd CSS vite.config.ts extracts at build time.
declare module 'virtual:antd.css';
