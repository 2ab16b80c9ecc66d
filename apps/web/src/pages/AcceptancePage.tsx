export default function Page() {
  return <div className="page">…</div>;
}
