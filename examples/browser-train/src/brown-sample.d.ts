declare module "virtual:brown-sample" {
  const documents: { id: string; genre: string; text: string }[];
  export default documents;
}
