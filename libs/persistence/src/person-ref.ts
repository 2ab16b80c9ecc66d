/** A person named in a record (who acted, signed, uploaded, wrote), with their unit. */
export interface PersonRef {
  id: string;
  name: string;
  unitId: string;
  unitName: string;
}

/** SQL for the PersonRef (json) of the user whose id `userId` gives, or null when there is none. */
export const personRefSql = (userId: string): string =>
  `(SELECT json_build_object('id', pu.id, 'name', pu.name, 'unitId', pu.unit_id, 'unitName', po.name)
      FROM app_user pu JOIN org_unit po ON po.id = pu.unit_id WHERE pu.id = ${userId})`;
